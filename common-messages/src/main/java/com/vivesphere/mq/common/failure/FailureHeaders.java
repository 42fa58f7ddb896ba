package com.vivesphere.mq.common.failure;

import java.util.Map;

/**
 * Headers of a message that failed at least once, so that an operator (or a replay tool) knows where it
 * came from, why it failed and how often, without anything else. Retry copies and dead letters carry
 * them; messages dead-lettered by the broker itself carry the broker's {@code x-death} instead.
 * Attempts are counted here, never from {@code x-death} (RabbitMQ 4.0 no longer counts republished messages there).
 */
public final class FailureHeaders {

    public static final String REASON = "x-vs-failure-reason";
    public static final String FAILURE_CLASS = "x-vs-failure-class";
    public static final String ERROR_TYPE = "x-vs-error-type";
    public static final String ERROR_MESSAGE = "x-vs-error-message";
    public static final String ORIGINAL_EXCHANGE = "x-vs-original-exchange";
    public static final String ORIGINAL_ROUTING_KEY = "x-vs-original-routing-key";
    public static final String ORIGINAL_QUEUE = "x-vs-original-queue";
    /** Failed attempts counted against the retry budget. */
    public static final String ATTEMPTS = "x-vs-attempts";
    /** Throttled retries, counted apart from {@link #ATTEMPTS}. */
    public static final String THROTTLED = "x-vs-throttled";
    public static final String FIRST_FAILURE_AT = "x-vs-first-failure-at";
    public static final String LAST_FAILURE_AT = "x-vs-last-failure-at";
    public static final String WORKER_HOST = "x-vs-worker-host";
    public static final String WORKER_VERSION = "x-vs-worker-version";
    /**
     * The latest {@value #HISTORY_LIMIT} failures, oldest first; each a table with {@code at}, {@code class},
     * {@code reason}, {@code error} and {@code worker}.
     */
    public static final String HISTORY = "x-vs-attempt-history";
    public static final int HISTORY_LIMIT = 10;

    private FailureHeaders() {
    }

    /** A counter header's value; 0 when absent or not a number. */
    public static long count(Map<String, Object> headers, String name) {
        return headers.get(name) instanceof Number number ? number.longValue() : 0;
    }
}
