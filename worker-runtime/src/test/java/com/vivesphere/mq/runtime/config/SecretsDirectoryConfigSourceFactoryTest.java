package com.vivesphere.mq.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

class SecretsDirectoryConfigSourceFactoryTest {

    private static SmallRyeConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(properties, "application.properties", 250))
                .withSources(new SecretsDirectoryConfigSourceFactory()).build();
    }

    @Test
    void filesNamedLikeEnvironmentVariablesAreTheirSettings(@TempDir Path secrets) throws IOException {
        Files.writeString(secrets.resolve("QUARKUS_DATASOURCE_PASSWORD"), "db-secret\n");
        Files.writeString(secrets.resolve("RABBITMQ_PASSWORD"), "broker-secret\r\n");
        // what Kubernetes keeps beside the keys of a mounted Secret
        Files.createDirectories(secrets.resolve("..data"));
        Files.writeString(secrets.resolve(".hidden"), "not a setting");

        SmallRyeConfig config = config(Map.of(SecretsDirectoryConfigSourceFactory.VARIABLE, secrets.toString(),
                "rabbitmq-password", "${RABBITMQ_PASSWORD:guest}", "log-consumer.batch.size", "250"));

        assertThat(config.getValue("quarkus.datasource.password", String.class)).isEqualTo("db-secret");
        assertThat(config.getValue("rabbitmq-password", String.class)).isEqualTo("broker-secret");
        assertThat(config.getOptionalValue(".hidden", String.class)).isEmpty();
        assertThat(SecretsDirectoryConfigSourceFactory.fileOf(config, "RABBITMQ_PASSWORD"))
                .contains(secrets.resolve("RABBITMQ_PASSWORD"));
        assertThat(SecretsDirectoryConfigSourceFactory.fileOf(config, "log-consumer.batch.size")).isEmpty();
    }

    @Test
    void withoutTheVariableThereIsNoSource() {
        assertThat(config(Map.of()).getOptionalValue("RABBITMQ_PASSWORD", String.class)).isEmpty();
    }

    @Test
    void aDirectoryThatIsNotThereIsRefusedByName(@TempDir Path work) {
        Path missing = work.resolve("missing");
        assertThatThrownBy(() -> config(Map.of(SecretsDirectoryConfigSourceFactory.VARIABLE, missing.toString())))
                .hasMessageContaining("VIVESPHERE_SECRETS_DIR names " + missing);
    }
}
