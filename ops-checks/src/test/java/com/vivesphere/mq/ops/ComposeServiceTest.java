package com.vivesphere.mq.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** docker-compose.yml read as Compose reads it, for the container test: interpolation, durations, the apps' services. */
class ComposeServiceTest {

    @Test
    void interpolatesAsComposeDoes() {
        Map<String, String> env = Map.of("SET", "value", "EMPTY", "");
        assertThat(ComposeService.interpolate("a ${SET} $SET $$SET $$$$", env)).isEqualTo("a value value $SET $$");
        assertThat(ComposeService.interpolate("${EMPTY:-fallback}|${EMPTY-fallback}|${UNSET-fallback}", env))
                .isEqualTo("fallback||fallback");
        // an unset variable is empty: a health check with $status instead of $$status compares nothing
        assertThat(ComposeService.interpolate("[[ $status == 200 ]]", env)).isEqualTo("[[  == 200 ]]");
        assertThatThrownBy(() -> ComposeService.interpolate("${UNSET:?set it}", env)).hasMessageContaining("set it");
        assertThatThrownBy(() -> ComposeService.interpolate("${EMPTY:?set it}", env)).hasMessageContaining("EMPTY");
    }

    @Test
    void readsComposeDurations() {
        assertThat(ComposeService.duration("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(ComposeService.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThatThrownBy(() -> ComposeService.duration("30")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsTheAppsServices() {
        ComposeService botWorker = ComposeService.of("bot-action-worker");
        assertThat(botWorker.memoryLimitBytes()).isEqualTo(384L << 20);
        assertThat(botWorker.buildArgs()).containsEntry("MODULE", "bot-action-worker");
        assertThat(botWorker.secretMounts(Map.of("BOT_CREDENTIALS_PATH", "/tmp/bots.json")))
                .containsValue("/run/secrets/bot_credentials");
        assertThat(botWorker.healthCheckCommand(Map.of())).first().isEqualTo("bash");
        assertThat(String.join(" ", botWorker.healthCheckCommand(Map.of()))).contains("$status").doesNotContain("$$");
        assertThat(botWorker.healthCheckStartPeriod()).isEqualTo(Duration.ofSeconds(60));
    }
}
