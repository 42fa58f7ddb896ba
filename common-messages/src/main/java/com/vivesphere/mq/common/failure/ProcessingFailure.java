package com.vivesphere.mq.common.failure;

import java.time.Instant;
import java.util.Optional;

/**
 * A classified failure, thrown by (or completing the stage of) a message handler. The worker's intake
 * retries, delays or dead-letters the message according to {@link #failureClass()}; any other exception
 * counts as {@link FailureClass#TRANSIENT} with reason {@code processing-failed}.
 */
public final class ProcessingFailure extends RuntimeException {

    private final FailureClass failureClass;
    private final String reason;
    private final String errorType;
    private final Instant retryAt;

    private ProcessingFailure(FailureClass failureClass, String reason, String errorType, String message, Instant retryAt,
            Throwable cause) {
        super(message, cause);
        this.failureClass = failureClass;
        this.reason = reason;
        this.errorType = errorType != null ? errorType : cause != null ? cause.getClass().getName() : reason;
        this.retryAt = retryAt;
    }

    /** Worth retrying after a backoff; {@code cause} names the error type. */
    public static ProcessingFailure transientFailure(String reason, String message, Throwable cause) {
        return new ProcessingFailure(FailureClass.TRANSIENT, reason, null, message, null, cause);
    }

    /** Worth retrying after a backoff, with an explicit error type (e.g. {@code http-503}). */
    public static ProcessingFailure transientFailure(String reason, String errorType, String message) {
        return new ProcessingFailure(FailureClass.TRANSIENT, reason, errorType, message, null, null);
    }

    /** Refused until {@code retryAt} (e.g. a rate-limit reset); does not use the attempt budget. */
    public static ProcessingFailure throttled(String reason, Instant retryAt, String message) {
        return new ProcessingFailure(FailureClass.THROTTLED, reason, null, message, retryAt, null);
    }

    /** Can never succeed; {@code reason} is the dead letter's machine-readable reason. */
    public static ProcessingFailure permanent(String reason, String errorType, String message) {
        return new ProcessingFailure(FailureClass.PERMANENT, reason, errorType, message, null, null);
    }

    /** Its deadline passed; dead-lettered with reason {@code expired}. */
    public static ProcessingFailure expired(String message) {
        return new ProcessingFailure(FailureClass.EXPIRED, "expired", null, message, null, null);
    }

    public FailureClass failureClass() {
        return failureClass;
    }

    public String reason() {
        return reason;
    }

    public String errorType() {
        return errorType;
    }

    /** When a throttled message may be tried again. */
    public Optional<Instant> retryAt() {
        return Optional.ofNullable(retryAt);
    }
}
