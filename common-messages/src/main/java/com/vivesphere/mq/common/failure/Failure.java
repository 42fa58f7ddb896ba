package com.vivesphere.mq.common.failure;

import java.time.Instant;
import java.util.concurrent.CompletionException;

/**
 * One failed attempt, as recorded in the failure headers.
 *
 * @param failureClass how it is handled
 * @param reason machine-readable reason ({@code x-vs-failure-reason}), e.g. {@code schema-invalid}
 * @param errorType what failed, for grouping (an exception class, {@code http-503}, ...)
 * @param message human-readable detail; redacted and size-capped before it leaves the worker
 * @param retryAt when a throttled message may be tried again; {@code null} otherwise
 */
public record Failure(FailureClass failureClass, String reason, String errorType, String message, Instant retryAt) {

    public Failure(FailureClass failureClass, String reason, String errorType, String message) {
        this(failureClass, reason, errorType, message, null);
    }

    /** The reason of an unclassified exception (treated as transient). */
    public static final String PROCESSING_FAILED = FailureReason.PROCESSING_FAILED.code();
    /** The broker delivered the message again: the previous attempt's outcome is unknown. */
    public static final String REDELIVERED = "redelivered";

    public static Failure invalid(InvalidMessageException e) {
        return new Failure(FailureClass.PERMANENT, e.reason().code(), e.reason().code(), e.getMessage());
    }

    public static Failure redelivered() {
        return new Failure(FailureClass.TRANSIENT, REDELIVERED, REDELIVERED,
                "the broker redelivered the message; the previous attempt did not settle it");
    }

    /** What a stage failed with: the cause a {@link CompletionException} wraps, or the failure itself. */
    public static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /** Classifies whatever a handler failed with. */
    public static Failure of(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof InvalidMessageException invalid) {
            return invalid(invalid);
        }
        if (cause instanceof ProcessingFailure classified) {
            return new Failure(classified.failureClass(), classified.reason(), classified.errorType(),
                    String.valueOf(classified.getMessage()), classified.retryAt().orElse(null));
        }
        return new Failure(FailureClass.TRANSIENT, PROCESSING_FAILED, cause.getClass().getName(), String.valueOf(cause.getMessage()));
    }
}
