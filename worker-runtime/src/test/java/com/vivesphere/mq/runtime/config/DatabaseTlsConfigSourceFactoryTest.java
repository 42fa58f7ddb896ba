package com.vivesphere.mq.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

class DatabaseTlsConfigSourceFactoryTest {

    private static SmallRyeConfig config(Map<String, String> environment) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(Map.of("quarkus.datasource.jdbc.url", "jdbc:postgresql://db/x"),
                        "application.properties", 250))
                // what Quarkus records of its extensions' defaults: the reactive client verifies no host name by default
                .withSources(new PropertiesConfigSource(Map.of("quarkus.datasource.reactive.hostname-verification-algorithm", "NONE"),
                        "DefaultValuesConfigSource", Integer.MIN_VALUE))
                .withSources(new EnvConfigSource(environment, EnvConfigSource.ORDINAL))
                .withSources(new DatabaseTlsConfigSourceFactory()).build();
    }

    private static Map<String, String> withCa(String... more) {
        Map<String, String> env = new HashMap<>(Map.of(DatabaseTlsConfigSourceFactory.VARIABLE, "database",
                "QUARKUS_TLS_DATABASE_TRUST_STORE_PEM_CERTS", "/certs/ca.pem"));
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    @Test
    void bothClientsVerifyTheServerAgainstTheSameCa() {
        SmallRyeConfig config = config(withCa());

        assertThat(config.getValue("quarkus.datasource.reactive.postgresql.ssl-mode", String.class)).isEqualTo("verify-full");
        assertThat(config.getValue("quarkus.datasource.reactive.hostname-verification-algorithm", String.class)).isEqualTo("HTTPS");
        assertThat(config.getValue("quarkus.datasource.reactive.trust-certificate-pem.certs", String.class)).isEqualTo("/certs/ca.pem");
        assertThat(config.getValue("quarkus.datasource.jdbc.additional-jdbc-properties.sslmode", String.class)).isEqualTo("verify-full");
        assertThat(config.getValue("quarkus.datasource.jdbc.additional-jdbc-properties.sslrootcert", String.class))
                .isEqualTo("/certs/ca.pem");
    }

    @Test
    void withoutTheSettingNothingChanges() {
        assertThat(config(Map.of()).getOptionalValue("quarkus.datasource.reactive.postgresql.ssl-mode", String.class)).isEmpty();
        assertThat(config(Map.of()).getOptionalValue("quarkus.datasource.jdbc.additional-jdbc-properties.sslmode", String.class))
                .isEmpty();
    }

    @Test
    void aConfigurationWithoutCaIsRefusedWithTheVariableToSet() {
        assertThatThrownBy(() -> config(Map.of(DatabaseTlsConfigSourceFactory.VARIABLE, "database")))
                .hasMessageContaining("QUARKUS_TLS_DATABASE_TRUST_STORE_PEM_CERTS");
    }

    @Test
    void aContradictingModeIsRefusedNotOverridden() {
        assertThatThrownBy(() -> config(withCa("QUARKUS_DATASOURCE_REACTIVE_POSTGRESQL_SSL_MODE", "require")))
                .hasMessageContaining("QUARKUS_DATASOURCE_REACTIVE_POSTGRESQL_SSL_MODE=require contradicts");
    }

    @Test
    void severalCaFilesAndClientCertificatesAreRefused() {
        assertThatThrownBy(() -> config(withCa("QUARKUS_TLS_DATABASE_TRUST_STORE_PEM_CERTS", "/a.pem,/b.pem")))
                .hasMessageContaining("one PEM file");
        assertThatThrownBy(() -> config(withCa("QUARKUS_TLS_DATABASE_KEY_STORE_PEM_WORKER_CERT", "/c.pem")))
                .hasMessageContaining("client certificate for the database is not supported");
    }
}
