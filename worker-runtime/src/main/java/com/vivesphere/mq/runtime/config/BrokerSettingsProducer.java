package com.vivesphere.mq.runtime.config;

import java.util.Optional;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.vivesphere.mq.common.broker.BrokerSettings;

/** The workers' {@link BrokerSettings}, from the keys both RabbitMQ connectors read. */
public class BrokerSettingsProducer {

    @Produces
    @Singleton
    BrokerSettings brokerSettings(
            @ConfigProperty(name = "rabbitmq-host", defaultValue = "localhost") String host,
            @ConfigProperty(name = "rabbitmq-port", defaultValue = "5672") int port,
            @ConfigProperty(name = "rabbitmq-addresses") Optional<String> addresses,
            @ConfigProperty(name = "rabbitmq-username", defaultValue = BrokerSettings.DEFAULT_CREDENTIAL) String username,
            @ConfigProperty(name = "rabbitmq-password", defaultValue = BrokerSettings.DEFAULT_CREDENTIAL) String password,
            @ConfigProperty(name = "rabbitmq-virtual-host", defaultValue = "/") String virtualHost,
            @ConfigProperty(name = "rabbitmq-ssl", defaultValue = "false") boolean ssl) {
        return new BrokerSettings(host, port, addresses, username, password, virtualHost, ssl);
    }
}
