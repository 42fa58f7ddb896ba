package com.vivesphere.mq.botworker.executor;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.vivesphere.mq.common.message.BotAction;

/**
 * Calls nothing: logs and records the X request each action would make. Lets the worker run with no X
 * credentials (the default until the X client exists).
 */
@ApplicationScoped
public class DryRunExecutor implements BotActionExecutor {

    private static final Logger LOG = Logger.getLogger(DryRunExecutor.class);
    private static final int REMEMBERED = 1_000;

    /** What was (not) called for which action. */
    public record Execution(UUID actionId, String botId, XRequest request) {
    }

    private final Deque<Execution> recent = new ArrayDeque<>();

    @Override
    public CompletionStage<Void> execute(BotAction action) {
        XRequest request = XRequest.of(action);
        LOG.infof("dry-run: bot %s would call %s for action %s (%s)", action.botId(), request, action.actionId(), action.type());
        synchronized (recent) {
            if (recent.size() == REMEMBERED) {
                recent.removeFirst();
            }
            recent.addLast(new Execution(action.actionId(), action.botId(), request));
        }
        return CompletableFuture.completedFuture(null);
    }

    /** The most recent executions, oldest first. */
    public List<Execution> recent() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }
}
