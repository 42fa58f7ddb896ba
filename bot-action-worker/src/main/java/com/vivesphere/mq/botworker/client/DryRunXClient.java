package com.vivesphere.mq.botworker.client;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.vivesphere.mq.common.message.BotAction;

/**
 * {@code BOT_EXECUTOR=dry-run}: X is never called. Each request the worker would send is logged (method, path,
 * body; never a token) and answered as X answers a request it carried out, so everything before and after the
 * call (schedule, deadline, ledger, rate limits, results) is the worker's real code.
 */
@ApplicationScoped
@Typed(DryRunXClient.class)
public class DryRunXClient implements XClient {

    private static final Logger LOG = Logger.getLogger(DryRunXClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Stands for the bot's X user id in the logged path when the credentials file does not name it. */
    private static final String UNRESOLVED_USER_ID = ":id";
    /**
     * X was not asked, so its limits are unknown: every answer names a window that never runs out, and the rate
     * limiter does its bookkeeping without holding an action back. X's windows last 15 minutes.
     */
    private static final int UNLIMITED = Integer.MAX_VALUE;
    private static final long WINDOW_SECONDS = 900;

    @Override
    public CompletionStage<XResponse> execute(BotAction action, String userId, String accessToken) {
        XRequest request = XRequest.of(action, userId == null ? UNRESOLVED_USER_ID : userId);
        String unresolved = userId == null && request.path().contains(UNRESOLVED_USER_ID)
                ? " (:id unresolved: BOT_CREDENTIALS_FILE has no userId for bot " + action.botId() + ")"
                : "";
        LOG.infof("dry-run: bot %s would call %s%s with body %s for action %s (%s)", action.botId(), request, unresolved,
                body(request), action.actionId(), action.type());
        boolean createsPost = request.method().equals("POST") && request.endpoint().equals("/2/tweets");
        return answer(createsPost ? 201 : 200, answerBody(action));
    }

    /** A dry run posted nothing: the timeline an earlier attempt is reconciled against is empty. */
    @Override
    public CompletionStage<XResponse> recentPosts(String userId, String accessToken, Instant since) {
        return answer(200, JSON.createObjectNode().set("meta", JSON.createObjectNode().put("result_count", 0)));
    }

    /** Never called: a dry run sends no token, so it never refreshes one (see {@code TokenStore}). */
    @Override
    public CompletionStage<XResponse> refresh(String refreshToken, String clientId) {
        return CompletableFuture.failedFuture(new IllegalStateException("a dry run does not refresh X tokens"));
    }

    private static ObjectNode answerBody(BotAction action) {
        ObjectNode data = JSON.createObjectNode();
        switch (action.type()) {
            case POST, REPLY, QUOTE -> data.put("id", "dry-run-" + action.actionId()).put("text", action.text());
            case DELETE -> data.put("deleted", true);
            case LIKE -> data.put("liked", true);
            case UNLIKE -> data.put("liked", false);
            case REPOST -> data.put("retweeted", true);
            case UNREPOST -> data.put("retweeted", false);
            case FOLLOW -> data.put("following", true);
            case UNFOLLOW -> data.put("following", false);
        }
        return JSON.createObjectNode().set("data", data);
    }

    private static CompletionStage<XResponse> answer(int status, ObjectNode body) {
        RateLimit window = new RateLimit(UNLIMITED, UNLIMITED, Instant.now().plusSeconds(WINDOW_SECONDS));
        return CompletableFuture.completedFuture(new XResponse(status, body, Optional.of(window)));
    }

    private static String body(XRequest request) {
        if (request.body() == null) {
            return "(none)";
        }
        try {
            return JSON.writeValueAsString(request.body());
        } catch (JsonProcessingException e) {
            return String.valueOf(request.body());
        }
    }
}
