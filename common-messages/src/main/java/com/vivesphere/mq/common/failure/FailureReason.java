package com.vivesphere.mq.common.failure;

import java.util.Locale;

/**
 * Why a message left its queue for {@code dead_letter_queue}. {@link #code()} is the machine-readable value
 * of the {@code x-vs-failure-reason} header and of the {@code reason} metric tag.
 */
public enum FailureReason {
    /** The body is not well-formed JSON (or not UTF-8). */
    MALFORMED_JSON,
    /** Well-formed JSON that breaks the message contract: missing field, wrong type, bad value. */
    SCHEMA_INVALID,
    /** The body is larger than the queue's size limit. */
    OVERSIZED,
    /** A content type or content encoding other than JSON. */
    UNSUPPORTED_CONTENT,
    /** A valid message that the store refused (e.g. text PostgreSQL cannot hold, such as a NUL character). */
    STORAGE_REJECTED,
    /** A valid message whose processing failed. */
    PROCESSING_FAILED;

    private final String code = name().toLowerCase(Locale.ROOT).replace('_', '-');

    public String code() {
        return code;
    }
}
