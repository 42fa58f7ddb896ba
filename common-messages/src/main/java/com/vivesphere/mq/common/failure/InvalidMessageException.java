package com.vivesphere.mq.common.failure;

/** A message that can never be processed as sent; it goes to the dead-letter path with {@link #reason()}. */
public class InvalidMessageException extends Exception {

    private final FailureReason reason;

    public InvalidMessageException(FailureReason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public FailureReason reason() {
        return reason;
    }
}
