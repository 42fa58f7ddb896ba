package com.vivesphere.mq.botworker.client;

import java.time.Instant;
import java.util.Optional;

import jakarta.ws.rs.core.Response;

/** X's {@code x-rate-limit-limit}, {@code -remaining} and {@code -reset} (epoch seconds) headers of one response. */
public record RateLimit(int limit, int remaining, Instant reset) {

    public static Optional<RateLimit> of(Response response) {
        String limit = response.getHeaderString("x-rate-limit-limit");
        String remaining = response.getHeaderString("x-rate-limit-remaining");
        String reset = response.getHeaderString("x-rate-limit-reset");
        if (limit == null || remaining == null || reset == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new RateLimit(Integer.parseInt(limit.trim()), Integer.parseInt(remaining.trim()),
                    Instant.ofEpochSecond(Long.parseLong(reset.trim()))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
