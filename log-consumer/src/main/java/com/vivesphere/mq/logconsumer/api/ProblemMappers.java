package com.vivesphere.mq.logconsumer.api;

import java.util.List;

import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

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

    private static Response problem(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
