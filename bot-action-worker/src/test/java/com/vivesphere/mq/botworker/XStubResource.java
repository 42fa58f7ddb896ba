package com.vivesphere.mq.botworker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.vivesphere.mq.testing.TestBrokerAndDatabaseResource;

/**
 * The X API as a WireMock stub (the real one is out of reach), a credentials file for the test bots, and a
 * vhost and database of their own; the worker runs with {@code BOT_EXECUTOR=x} against all of them.
 */
public class XStubResource extends TestBrokerAndDatabaseResource {

    /** Bots of the credentials file: {@code bot-<n>} is X user {@code user-<n>} with access token {@code token-<n>}. */
    static final int BOTS = 20;

    private static WireMockServer server;
    private Path credentials;

    static WireMockServer x() {
        return server;
    }

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        server.start();
        Map<String, String> config = new HashMap<>(super.start());
        try {
            credentials = Files.createTempFile("bot-credentials", ".json");
            StringBuilder json = new StringBuilder("{");
            for (int n = 1; n <= BOTS; n++) {
                json.append(n > 1 ? "," : "").append("""
                        "bot-%d": {"userId": "user-%d", "accessToken": "token-%d", "refreshToken": "refresh-%d",
                                   "clientId": "client-1", "expiresAt": "%s"}""".formatted(n, n, n, n, Instant.now().plusSeconds(7_200)));
            }
            Files.writeString(credentials, json.append('}').toString());
            credentials.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        config.put("bot-worker.executor", "x");
        config.put("bot-worker.credentials-file", credentials.toString());
        config.put("quarkus.rest-client.x-api.url", server.baseUrl());
        config.put("quarkus.rest-client.x-api.read-timeout", "2000");
        config.put("bot-worker.retry.initial-delay", "1s");
        config.put("bot-worker.retry.max-delay", "2s");
        config.put("bot-worker.retry.max-attempts", "4");
        return config;
    }

    @Override
    public void stop() {
        super.stop();
        if (server != null) {
            server.stop();
        }
    }
}
