package com.vivesphere.mq.botworker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import com.vivesphere.mq.testing.TestBrokerAndDatabaseResource;

/**
 * A vhost and database of their own and a credentials file naming bot-1 only; the worker runs with
 * {@code BOT_EXECUTOR=dry-run}.
 */
public class DryRunResource extends TestBrokerAndDatabaseResource {

    static final String USER_ID = "1458282468430495744";
    static final String ACCESS_TOKEN = "secret-access-token-1";
    static final String REFRESH_TOKEN = "secret-refresh-token-1";

    private Path credentials;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        try {
            credentials = Files.createTempFile("bot-credentials", ".json");
            Files.writeString(credentials, """
                    {"bot-1": {"userId": "%s", "accessToken": "%s", "refreshToken": "%s", "clientId": "client-1"}}"""
                    .formatted(USER_ID, ACCESS_TOKEN, REFRESH_TOKEN));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        config.put("bot-worker.executor", "dry-run");
        config.put("bot-worker.credentials-file", credentials.toString());
        return config;
    }

    @Override
    public void stop() {
        super.stop();
        try {
            if (credentials != null) {
                Files.deleteIfExists(credentials);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
