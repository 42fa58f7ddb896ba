package com.vivesphere.mq.botworker.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Any file content parses into credentials or fails with an {@link IOException}, the parser's one failure. */
class CredentialsFileFuzzTest {

    /** Loads (and instruments) Jackson before the first input, whose second would otherwise include that. */
    @BeforeAll
    static void loadTheParser() throws IOException {
        CredentialsFile.parse("{}".getBytes(StandardCharsets.UTF_8));
    }

    @FuzzTest
    @Timeout(value = 1, unit = TimeUnit.SECONDS)
    void parsesOrRejectsWithIOException(byte[] content) {
        try {
            assertThat(CredentialsFile.parse(content).values()).allSatisfy(bot -> {
                assertThat(bot.userId()).isNotBlank();
                assertThat(bot.accessToken()).isNotBlank();
            });
        } catch (IOException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
