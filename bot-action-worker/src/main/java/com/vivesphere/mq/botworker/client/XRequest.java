package com.vivesphere.mq.botworker.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.vivesphere.mq.common.message.BotAction;

/**
 * The X API v2 call that carries out an action.
 *
 * @param method HTTP method
 * @param endpoint the path template, {@code :id} being the bot's user id: the rate-limit bucket
 * @param path the path to call
 * @param body JSON body, or {@code null}
 */
public record XRequest(String method, String endpoint, String path, Map<String, Object> body) {

    public static XRequest of(BotAction action, String userId) {
        return switch (action.type()) {
            case POST, REPLY, QUOTE -> new XRequest("POST", "/2/tweets", "/2/tweets", postBody(action));
            case DELETE -> new XRequest("DELETE", "/2/tweets/:tweet_id", "/2/tweets/" + action.targetPostId(), null);
            case LIKE -> new XRequest("POST", "/2/users/:id/likes", "/2/users/" + userId + "/likes",
                    Map.of("tweet_id", action.targetPostId()));
            case UNLIKE -> new XRequest("DELETE", "/2/users/:id/likes/:tweet_id",
                    "/2/users/" + userId + "/likes/" + action.targetPostId(), null);
            case REPOST -> new XRequest("POST", "/2/users/:id/retweets", "/2/users/" + userId + "/retweets",
                    Map.of("tweet_id", action.targetPostId()));
            case UNREPOST -> new XRequest("DELETE", "/2/users/:id/retweets/:source_tweet_id",
                    "/2/users/" + userId + "/retweets/" + action.targetPostId(), null);
            case FOLLOW -> new XRequest("POST", "/2/users/:id/following", "/2/users/" + userId + "/following",
                    Map.of("target_user_id", action.targetUserId()));
            case UNFOLLOW -> new XRequest("DELETE", "/2/users/:source_user_id/following/:target_user_id",
                    "/2/users/" + userId + "/following/" + action.targetUserId(), null);
        };
    }

    private static Map<String, Object> postBody(BotAction action) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (action.text() != null) {
            body.put("text", action.text());
        }
        switch (action.type()) {
            case REPLY -> body.put("reply", Map.of("in_reply_to_tweet_id", action.targetPostId()));
            case QUOTE -> body.put("quote_tweet_id", action.targetPostId());
            default -> {
            }
        }
        if (!action.mediaIds().isEmpty()) {
            body.put("media", Map.of("media_ids", List.copyOf(action.mediaIds())));
        }
        return body;
    }

    /** Rate-limit bucket key: method and path template, e.g. {@code POST /2/users/:id/likes}. */
    public String bucket() {
        return method + " " + endpoint;
    }

    @Override
    public String toString() {
        return method + " " + path;
    }
}
