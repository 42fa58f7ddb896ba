package com.vivesphere.mq.botworker.executor;

import java.util.concurrent.CompletionStage;

import com.vivesphere.mq.common.message.BotAction;

/** Carries out a bot action on X; the message is acked only when the returned stage succeeds. */
public interface BotActionExecutor {

    CompletionStage<Void> execute(BotAction action);
}
