package com.vivesphere.mq.common.message;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Outcome of a {@link BotAction}, as reported in a {@link BotActionResult}. */
@RegisterForReflection
public enum BotActionStatus {
    /** Executed on X. */
    SUCCEEDED,
    /** X refused it for good, or it failed after its retries; it is in {@code dead_letter_queue}. */
    FAILED,
    /** Its {@code expiresAt} passed before it could be executed; not executed. */
    EXPIRED,
    /** A redelivery of an action that had already succeeded; X was not called again. */
    SKIPPED_DUPLICATE
}
