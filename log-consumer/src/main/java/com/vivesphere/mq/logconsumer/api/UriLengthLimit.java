package com.vivesphere.mq.logconsumer.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers a request whose URI is longer than {@link #MAX_URI_LENGTH} characters with 414 problem+json. The HTTP
 * server's own request-line limit ({@code quarkus.http.limits.max-initial-line-length}) is set far above it: a
 * line over that limit is refused before any route runs, with an empty body.
 */
@ApplicationScoped
public class UriLengthLimit {

    public static final int MAX_URI_LENGTH = 8192;

    private final Buffer problem;

    public UriLengthLimit(ObjectMapper json) throws JsonProcessingException {
        this.problem = Buffer.buffer(json.writeValueAsBytes(new Problem("about:blank", "URI Too Long", 414,
                "The request URI is longer than " + MAX_URI_LENGTH + " characters (q takes at most "
                        + LogResource.MAX_TEXT + ")",
                null)));
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::refuseLongUri);
    }

    private void refuseLongUri(RoutingContext context) {
        if (context.request().uri().length() <= MAX_URI_LENGTH) {
            context.next();
            return;
        }
        context.response().setStatusCode(414).putHeader("Content-Type", Problem.MEDIA_TYPE).end(problem);
    }
}
