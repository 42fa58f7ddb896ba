package com.vivesphere.mq.botworker.client;

import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/** Status, JSON body and rate-limit headers of one X API response. */
public record XResponse(int status, JsonNode body, Optional<RateLimit> rateLimit) {

    public XResponse {
        body = body == null ? MissingNode.getInstance() : body;
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    /** The id of a created post ({@code data.id}), if the body has one. */
    public Optional<String> externalId() {
        JsonNode id = body.path("data").path("id");
        return id.isTextual() ? Optional.of(id.asText()) : Optional.empty();
    }

    /** X's explanation: problem+json {@code detail}, else {@code title}, else the first error's message. */
    public String detail() {
        for (JsonNode candidate : new JsonNode[] { body.path("detail"), body.path("title"),
                body.path("errors").path(0).path("message") }) {
            if (candidate.isTextual() && !candidate.asText().isBlank()) {
                return candidate.asText();
            }
        }
        return "HTTP " + status;
    }

    /** X refuses to create a post whose text equals one of the bot's recent posts. */
    public boolean isDuplicateContent() {
        return status == 403 && detail().toLowerCase(Locale.ROOT).contains("duplicate content");
    }
}
