package com.vivesphere.mq.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
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
        Path scratch = Repo.path("ops-checks/target/compose-service-test");
        Map<Path, String> secrets = botWorker.secretMounts(Map.of("BOT_CREDENTIALS_PATH", "/tmp/bots.json",
                "RABBITMQ_PASSWORD", "broker-secret", "POSTGRES_PASSWORD", "database-secret"), scratch);
        assertThat(secrets).containsEntry(Path.of("/tmp/bots.json"), "/run/secrets/bot_credentials")
                .containsEntry(scratch.resolve("rabbitmq_password"), "/run/secrets/vivesphere/RABBITMQ_PASSWORD")
                .containsEntry(scratch.resolve("postgres_password"), "/run/secrets/vivesphere/QUARKUS_DATASOURCE_PASSWORD");
        assertThat(scratch.resolve("rabbitmq_password")).hasContent("broker-secret");
        assertThat(botWorker.healthCheckCommand(Map.of())).first().isEqualTo("bash");
        assertThat(String.join(" ", botWorker.healthCheckCommand(Map.of()))).contains("$status").doesNotContain("$$");
        assertThat(botWorker.healthCheckStartPeriod()).isEqualTo(Duration.ofSeconds(60));
    }
}
