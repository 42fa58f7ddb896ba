package com.vivesphere.mq.botworker.executor;

import com.vivesphere.mq.common.message.BotAction;

import java.util.concurrent.CompletionStage;

/** Carries out a bot action on X; the message is acked only when the returned stage succeeds. */
public interface BotActionExecutor {

    CompletionStage<Void> execute(BotAction action);
}
