package com.vivesphere.mq.botworker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.vivesphere.mq.testing.TestBrokerAndDatabaseResource;
import com.vivesphere.mq.testing.XApiStub;

/**
 * The X API stand-in ({@link XApiStub}, recording every request), a credentials file for its bots, and a vhost and
 * database of their own; the worker runs with {@code BOT_EXECUTOR=x} against all of them.
 */
public class XStubResource extends TestBrokerAndDatabaseResource {

    private static XApiStub stub;
    private Path directory;
    private Path credentials;

    static WireMockServer x() {
        return stub.wireMock();
    }

    @Override
    public Map<String, String> start() {
        stub = XApiStub.recording();
        Map<String, String> config = new HashMap<>(super.start());
        try {
            directory = Files.createTempDirectory("bot-credentials");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        // bot-<n> is X user user-<n> with access token token-<n>
        credentials = stub.credentialsFile(directory, "refresh-");
        config.put("bot-worker.executor", "x");
        config.put("bot-worker.credentials-file", credentials.toString());
        config.put("quarkus.rest-client.x-api.url", stub.baseUrl());
        config.put("quarkus.rest-client.x-api.read-timeout", "2000");
        config.put("bot-worker.retry.initial-delay", "1s");
        config.put("bot-worker.retry.max-delay", "2s");
        config.put("bot-worker.retry.max-attempts", "4");
        return config;
    }

    @Override
    public void stop() {
        super.stop();
        if (stub != null) {
            stub.close();
        }
        try {
            if (credentials != null) {
                Files.deleteIfExists(credentials);
                Files.deleteIfExists(directory);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
