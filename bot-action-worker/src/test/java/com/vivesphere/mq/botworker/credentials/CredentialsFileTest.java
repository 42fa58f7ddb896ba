package com.vivesphere.mq.botworker.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.vivesphere.mq.botworker.config.BotWorkerConfig;

class CredentialsFileTest {

    @TempDir
    Path dir;

    private CredentialsFile credentialsAt(Path file) {
        BotWorkerConfig config = (BotWorkerConfig) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { BotWorkerConfig.class }, (proxy, method, args) -> {
                    if (method.getName().equals("credentialsFile")) {
                        return Optional.of(file);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return new CredentialsFile(config);
    }

    private static void write(Path file, String json, Instant modified) throws Exception {
        Files.writeString(file, json);
        Files.setLastModifiedTime(file, FileTime.from(modified));
    }

    @Test
    void aReplacedFileIsReadAgainAndABrokenOneKeepsTheLastGoodContents() throws Exception {
        Path file = dir.resolve("bots.json");
        Instant t0 = Instant.parse("2026-11-27T00:00:00Z");
        write(file, """
                {"bot-1": {"userId": "u1", "accessToken": "a1", "refreshToken": "r1", "clientId": "c",
                           "expiresAt": "2026-11-27T02:00:00+01:00"}}""", t0);
        CredentialsFile credentials = credentialsAt(file);

        BotCredentials first = credentials.get("bot-1").orElseThrow();
        assertThat(first.accessToken()).isEqualTo("a1");
        assertThat(first.expiresAt()).isEqualTo(Instant.parse("2026-11-27T01:00:00Z"));
        assertThat(first.toString()).doesNotContain("a1", "r1");

        write(file, "{\"bot-1\": {\"userId\": \"u1\", \"accessToken\": \"a2\"}}", t0.plusSeconds(60));
        assertThat(credentials.get("bot-1").orElseThrow().accessToken()).isEqualTo("a2");
        assertThat(credentials.get("bot-1").orElseThrow().expiresAt()).isEqualTo(Instant.MAX);

        write(file, "{not json", t0.plusSeconds(120));
        assertThat(credentials.get("bot-1").orElseThrow().accessToken()).isEqualTo("a2");
        assertThat(credentials.get("bot-2")).isEmpty();
    }

    /** Found by CredentialsFileFuzzTest: a DateTimeParseException escaped the parser, whose one failure is IOException. */
    @Test
    void anExpiryThatIsNoDateTimeIsAnIOExceptionNamingTheBotNotTheValue() {
        byte[] content = "{\"bot-1\":{\"userId\":\"1\",\"accessToken\":\"a\",\"expiresAt\":\"s3cr3t-tomorrow\"}}"
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> CredentialsFile.parse(content)).isInstanceOf(IOException.class)
                .hasMessage("bot bot-1: expiresAt is not an ISO-8601 date-time with offset");
    }
}
