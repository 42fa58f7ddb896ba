package com.vivesphere.mq.botworker.executor;

import com.vivesphere.mq.common.message.BotAction;

/** The X API v2 call that carries out an action, as method and path ({@code :id} is the bot's user id). */
public record XRequest(String method, String path) {

    public static XRequest of(BotAction action) {
        return switch (action.type()) {
            case POST, REPLY, QUOTE -> new XRequest("POST", "/2/tweets");
            case DELETE -> new XRequest("DELETE", "/2/tweets/" + action.targetPostId());
            case LIKE -> new XRequest("POST", "/2/users/:id/likes");
            case UNLIKE -> new XRequest("DELETE", "/2/users/:id/likes/" + action.targetPostId());
            case REPOST -> new XRequest("POST", "/2/users/:id/retweets");
            case UNREPOST -> new XRequest("DELETE", "/2/users/:id/retweets/" + action.targetPostId());
            case FOLLOW -> new XRequest("POST", "/2/users/:id/following");
            case UNFOLLOW -> new XRequest("DELETE", "/2/users/:id/following/" + action.targetUserId());
        };
    }

    @Override
    public String toString() {
        return method + " " + path;
    }
}
