package com.vivesphere.mq.botworker.client;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.vivesphere.mq.common.message.BotAction;

import io.smallrye.mutiny.Uni;

/** Calls the X API v2 for a bot (non-blocking, with the timeouts of {@code quarkus.rest-client.x-api.*}). */
@ApplicationScoped
@Typed(HttpXClient.class)
public class HttpXClient implements XClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final XApi api;

    public HttpXClient(@RestClient XApi api) {
        this.api = api;
    }

    @Override
    public CompletionStage<XResponse> execute(BotAction action, String userId, String accessToken) {
        String auth = bearer(accessToken);
        XRequest request = XRequest.of(action, userId);
        Uni<Response> call = switch (action.type()) {
            case POST, REPLY, QUOTE -> api.createPost(auth, request.body());
            case DELETE -> api.deletePost(auth, action.targetPostId());
            case LIKE -> api.like(auth, userId, request.body());
            case UNLIKE -> api.unlike(auth, userId, action.targetPostId());
            case REPOST -> api.repost(auth, userId, request.body());
            case UNREPOST -> api.unrepost(auth, userId, action.targetPostId());
            case FOLLOW -> api.follow(auth, userId, request.body());
            case UNFOLLOW -> api.unfollow(auth, userId, action.targetUserId());
        };
        return call.map(HttpXClient::read).subscribeAsCompletionStage();
    }

    @Override
    public CompletionStage<XResponse> recentPosts(String userId, String accessToken, Instant since) {
        return api.recentPosts(bearer(accessToken), userId, since.truncatedTo(ChronoUnit.SECONDS).toString(), 100)
                .map(HttpXClient::read).subscribeAsCompletionStage();
    }

    @Override
    public CompletionStage<XResponse> refresh(String refreshToken, String clientId) {
        MultivaluedMap<String, String> form = new MultivaluedHashMap<>();
        form.add("grant_type", "refresh_token");
        form.add("refresh_token", refreshToken);
        form.add("client_id", clientId);
        return api.token(form).map(HttpXClient::read).subscribeAsCompletionStage();
    }

    private static XResponse read(Response response) {
        try (response) {
            String text = response.hasEntity() ? response.readEntity(String.class) : "";
            JsonNode body = null;
            if (text != null && !text.isBlank()) {
                try {
                    body = JSON.readTree(text);
                } catch (IOException e) {
                    body = JSON.createObjectNode().put("detail", text.length() > 500 ? text.substring(0, 500) : text);
                }
            }
            return new XResponse(response.getStatus(), body, RateLimit.of(response));
        }
    }

    private static String bearer(String accessToken) {
        return "Bearer " + accessToken;
    }
}
