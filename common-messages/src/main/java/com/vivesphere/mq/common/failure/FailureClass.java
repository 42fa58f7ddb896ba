package com.vivesphere.mq.common.failure;

import java.util.Locale;

/**
 * How a processing failure is handled. {@link #code()} is the value of the {@code x-vs-failure-class}
 * header and of the {@code class} metric tag.
 */
public enum FailureClass {
    /** May succeed later (timeouts, 5xx, connection errors): retried with exponential backoff and full jitter. */
    TRANSIENT,
    /** Refused until a known time (rate limit): retried at that time, outside the attempt budget. */
    THROTTLED,
    /** Can never succeed (invalid input, refused by the target): dead-lettered at once. */
    PERMANENT,
    /** Its deadline passed before it could be processed: dead-lettered, never executed. */
    EXPIRED;

    private final String code = name().toLowerCase(Locale.ROOT);

    public String code() {
        return code;
    }
}
