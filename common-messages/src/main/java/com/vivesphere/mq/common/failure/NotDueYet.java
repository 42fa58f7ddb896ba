package com.vivesphere.mq.common.failure;

import java.time.Instant;

/**
 * Not a failure: the message is valid but must not be processed before {@link #dueAt()} (a scheduled
 * action that arrived early). The worker's intake sends it back through the delay levels, without counting
 * an attempt. No stack trace: it is control flow.
 */
public final class NotDueYet extends RuntimeException {

    private final Instant dueAt;

    public NotDueYet(Instant dueAt) {
        super("not due before " + dueAt, null, false, false);
        this.dueAt = dueAt;
    }

    public Instant dueAt() {
        return dueAt;
    }
}
