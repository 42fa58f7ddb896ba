package com.vivesphere.mq.runtime.config;

import java.nio.file.Path;
import java.util.Optional;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.vivesphere.mq.common.broker.BrokerSettings;
import com.vivesphere.mq.common.broker.SecretFile;

/** The workers' {@link BrokerSettings}, from the keys both RabbitMQ connectors read. */
public class BrokerSettingsProducer {

    static final String PASSWORD_VARIABLE = "RABBITMQ_PASSWORD";

    @Produces
    @Singleton
    BrokerSettings brokerSettings(
            @ConfigProperty(name = "rabbitmq-host", defaultValue = "localhost") String host,
            @ConfigProperty(name = "rabbitmq-port", defaultValue = "5672") int port,
            @ConfigProperty(name = "rabbitmq-addresses") Optional<String> addresses,
            @ConfigProperty(name = "rabbitmq-username", defaultValue = BrokerSettings.DEFAULT_CREDENTIAL) String username,
            @ConfigProperty(name = "rabbitmq-password", defaultValue = BrokerSettings.DEFAULT_CREDENTIAL) String password,
            @ConfigProperty(name = "rabbitmq-virtual-host", defaultValue = "/") String virtualHost,
            @ConfigProperty(name = "rabbitmq-ssl", defaultValue = "false") boolean ssl, Config config) {
        BrokerSettings settings = new BrokerSettings(host, port, addresses, username, password, virtualHost, ssl);
        // A password from the secrets directory is read again at every connection, so that a rotated one is
        // used at the next (re)connection; the smallrye-rabbitmq connector reads it at start only.
        Optional<Path> passwordFile = SecretsDirectoryConfigSourceFactory.fileOf(config, PASSWORD_VARIABLE)
                .filter(file -> SecretFile.read(file).equals(password));
        return passwordFile.map(settings::withPasswordFile).orElse(settings);
    }
}
