package com.vivesphere.mq.botworker.listener;

import java.util.concurrent.Flow;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.vivesphere.mq.botworker.config.BotWorkerConfig;
import com.vivesphere.mq.botworker.executor.XActionExecutor;
import com.vivesphere.mq.common.message.BotAction;
import com.vivesphere.mq.runtime.intake.Intake;
import com.vivesphere.mq.runtime.intake.Intakes;

/** Consumes {@code bot_action_queue}; each message is acked only after its action was executed. */
@ApplicationScoped
public class BotActionListener {

    private final Intake<BotAction> intake;
    private final XActionExecutor executor;

    public BotActionListener(Intakes intakes, BotWorkerConfig config, XActionExecutor executor) {
        this.intake = intakes.create(Channels.BOT_ACTIONS, BotAction.class, BotAction::dueSince, config.maxMessageBytes(),
                config.retry().policy());
        this.executor = executor;
    }

    @Incoming(Channels.BOT_ACTIONS)
    public Flow.Subscriber<Message<byte[]>> botActions() {
        return intake.subscriber(executor::execute);
    }
}
