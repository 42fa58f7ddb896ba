package com.vivesphere.mq.logconsumer.api;

import java.util.List;

import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/** Maps API errors to problem+json responses. */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response badParameter(BadParameterException e) {
        return problem(new Problem("about:blank", "Invalid query parameter", 400,
                "Parameter '" + e.parameter() + "': " + e.getMessage(),
                List.of(new Problem.InvalidParam(e.parameter(), e.getMessage()))));
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return problem(new Problem("about:blank", "Not Found", 404, e.getMessage(), null));
    }

    /** No token, or one that does not verify (another key, expired, another issuer): the reason stays in the log. */
    @ServerExceptionMapper({ UnauthorizedException.class, AuthenticationFailedException.class })
    public Response unauthenticated(RuntimeException e) {
        return Response.fromResponse(problem(new Problem("about:blank", "Unauthorized", 401,
                "A bearer token with the logs-reader role is required", null)))
                .header("WWW-Authenticate", "Bearer").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return problem(new Problem("about:blank", "Forbidden", 403, "The token does not have the logs-reader role", null));
    }

    private static Response problem(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
