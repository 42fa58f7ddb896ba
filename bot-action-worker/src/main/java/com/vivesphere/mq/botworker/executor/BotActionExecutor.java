package com.vivesphere.mq.botworker.executor;

import com.vivesphere.mq.common.message.BotAction;

import io.smallrye.mutiny.Uni;

/** Carries out a bot action on X; the message is acked only when the returned {@link Uni} succeeds. */
public interface BotActionExecutor {

    Uni<Void> execute(BotAction action);
}
