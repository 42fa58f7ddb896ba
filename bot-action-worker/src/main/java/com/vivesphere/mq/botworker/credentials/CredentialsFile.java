package com.vivesphere.mq.botworker.credentials;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.vivesphere.mq.botworker.config.BotWorkerConfig;

/**
 * The per-bot credentials of {@code BOT_CREDENTIALS_FILE}: {@code {"<botId>": {"userId", "accessToken",
 * "refreshToken", "clientId", "expiresAt"}}}. Re-read when the file changes (a mounted secret is replaced
 * in place); a file that cannot be read keeps the last good contents. Values are never logged.
 */
@ApplicationScoped
public class CredentialsFile {

    private static final Logger LOG = Logger.getLogger(CredentialsFile.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Optional<Path> file;
    private volatile Map<String, BotCredentials> bots = Map.of();
    private volatile FileTime loadedVersion;

    public CredentialsFile(BotWorkerConfig config) {
        this.file = config.credentialsFile();
    }

    public Optional<BotCredentials> get(String botId) {
        reloadIfChanged();
        return Optional.ofNullable(bots.get(botId));
    }

    private synchronized void reloadIfChanged() {
        if (file.isEmpty()) {
            return;
        }
        Path path = file.get();
        try {
            FileTime modified = Files.getLastModifiedTime(path);
            if (modified.equals(loadedVersion)) {
                return;
            }
            bots = parse(Files.readAllBytes(path));
            loadedVersion = modified;
            LOG.infof("Loaded X credentials of %d bots from %s", bots.size(), path);
        } catch (IOException | RuntimeException e) {
            // The message names the file and the problem, never the contents.
            LOG.errorf("Cannot read the X credentials file %s (%s); keeping the %d bots loaded before", path,
                    e.getClass().getSimpleName(), bots.size());
        }
    }

    static Map<String, BotCredentials> parse(byte[] content) throws IOException {
        JsonNode root = JSON.readTree(content);
        if (root == null || !root.isObject()) {
            throw new IOException("not a JSON object of bots");
        }
        Map<String, BotCredentials> parsed = new HashMap<>();
        var fields = root.fields();
        while (fields.hasNext()) {
            var bot = fields.next();
            JsonNode value = bot.getValue();
            String userId = text(value, "userId");
            String accessToken = text(value, "accessToken");
            if (userId == null || accessToken == null) {
                throw new IOException("bot " + bot.getKey() + " needs userId and accessToken");
            }
            parsed.put(bot.getKey(), new BotCredentials(userId, accessToken, text(value, "refreshToken"),
                    text(value, "clientId"), expiresAt(bot.getKey(), text(value, "expiresAt"))));
        }
        return Map.copyOf(parsed);
    }

    private static Instant expiresAt(String botId, String value) throws IOException {
        if (value == null) {
            return Instant.MAX;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            // the parser's one failure is an IOException; the value itself may be a token pasted in the wrong field
            throw new IOException("bot " + botId + ": expiresAt is not an ISO-8601 date-time with offset");
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }
}
