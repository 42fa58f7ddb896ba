package com.vivesphere.mq.botworker.client;

import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.smallrye.mutiny.Uni;

/**
 * The X API v2 endpoints the worker uses (base URL {@code X_API_BASE_URL}). Every method answers the raw
 * {@link Response}, whatever its status, so {@link HttpXClient} can classify it and read the rate-limit headers.
 */
@RegisterRestClient(configKey = "x-api")
public interface XApi {

    String AUTHORIZATION = "Authorization";

    @POST
    @Path("/2/tweets")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> createPost(@HeaderParam(AUTHORIZATION) String authorization, Map<String, Object> body);

    @DELETE
    @Path("/2/tweets/{tweetId}")
    Uni<Response> deletePost(@HeaderParam(AUTHORIZATION) String authorization, @PathParam("tweetId") String tweetId);

    @POST
    @Path("/2/users/{id}/likes")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> like(@HeaderParam(AUTHORIZATION) String authorization, @PathParam("id") String userId,
            Map<String, Object> body);

    @DELETE
    @Path("/2/users/{id}/likes/{tweetId}")
    Uni<Response> unlike(@HeaderParam(AUTHORIZATION) String authorization, @PathParam("id") String userId,
            @PathParam("tweetId") String tweetId);

    @POST
    @Path("/2/users/{id}/retweets")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> repost(@HeaderParam(AUTHORIZATION) String authorization, @PathParam("id") String userId,
            Map<String, Object> body);

    @DELETE
    @Path("/2/users/{id}/retweets/{tweetId}")
    Uni<Response> unrepost(@HeaderParam(AUTHORIZATION) String authorization, @PathParam("id") String userId,
            @PathParam("tweetId") String tweetId);

    @POST
    @Path("/2/users/{id}/following")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> follow(@HeaderParam(AUTHORIZATION) String authorization, @PathParam("id") String userId,
            Map<String, Object> body);

    @DELETE
    @Path("/2/users/{id}/following/{targetUserId}")
    Uni<Response> unfollow(@HeaderParam(AUTHORIZATION) String authorization, @PathParam("id") String userId,
            @PathParam("targetUserId") String targetUserId);

    /** The user's latest posts, newest first (to find out whether a post with an unknown outcome exists). */
    @GET
    @Path("/2/users/{id}/tweets")
    Uni<Response> recentPosts(@HeaderParam(AUTHORIZATION) String authorization, @PathParam("id") String userId,
            @QueryParam("start_time") String startTime, @QueryParam("max_results") int maxResults);

    /** OAuth 2.0 token endpoint: {@code grant_type=refresh_token}. */
    @POST
    @Path("/2/oauth2/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    Uni<Response> token(MultivaluedMap<String, String> form);
}
