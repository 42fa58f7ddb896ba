package com.vivesphere.mq.common.messaging;

/**
 * Headers a dead letter published by the workers carries, so that an operator (or a replay tool) knows
 * where it came from and why it failed without anything else. Broker dead-letters carry {@code x-death}.
 */
public final class FailureHeaders {

    public static final String REASON = "x-vs-failure-reason";
    public static final String FAILURE_CLASS = "x-vs-failure-class";
    public static final String ERROR_TYPE = "x-vs-error-type";
    public static final String ERROR_MESSAGE = "x-vs-error-message";
    public static final String ORIGINAL_EXCHANGE = "x-vs-original-exchange";
    public static final String ORIGINAL_ROUTING_KEY = "x-vs-original-routing-key";
    public static final String ORIGINAL_QUEUE = "x-vs-original-queue";
    public static final String ATTEMPTS = "x-vs-attempts";
    public static final String FIRST_FAILURE_AT = "x-vs-first-failure-at";
    public static final String LAST_FAILURE_AT = "x-vs-last-failure-at";
    public static final String WORKER_HOST = "x-vs-worker-host";
    public static final String WORKER_VERSION = "x-vs-worker-version";

    /** Failure class of a message that can never succeed (invalid input, permanent errors). */
    public static final String PERMANENT = "permanent";

    private FailureHeaders() {
    }
}
