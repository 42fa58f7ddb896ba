package com.vivesphere.mq.botworker.executor;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;

import org.jboss.logging.Logger;

import com.vivesphere.mq.botworker.client.XRequest;
import com.vivesphere.mq.common.message.BotAction;

/**
 * Calls nothing: logs and records the X request each action would make. The default of {@code quarkus dev},
 * so the worker runs with no X credentials; production refuses it unless explicitly allowed.
 */
@ApplicationScoped
@Typed(DryRunExecutor.class)
public class DryRunExecutor implements BotActionExecutor {

    private static final Logger LOG = Logger.getLogger(DryRunExecutor.class);
    private static final int REMEMBERED = 1_000;

    /** What was (not) called for which action. */
    public record Execution(UUID actionId, String botId, XRequest request) {
    }

    private final Deque<Execution> recent = new ArrayDeque<>();

    @Override
    public CompletionStage<Void> execute(BotAction action) {
        XRequest request = XRequest.of(action, ":id");
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
