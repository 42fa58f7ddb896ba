package com.vivesphere.mq.common.config;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.ConnectionFactory;

/**
 * Broker connection settings, read from the same keys the RabbitMQ connector uses ({@code rabbitmq-host},
 * ...; env {@code RABBITMQ_HOST}, ...) so the topology connection and the channels always agree.
 */
@ApplicationScoped
public class BrokerConfig {

    public static final String DEFAULT_CREDENTIAL = "guest";

    private final String host;
    private final int port;
    private final Optional<String> addresses;
    private final String username;
    private final String password;
    private final String virtualHost;
    private final boolean ssl;

    public BrokerConfig(
            @ConfigProperty(name = "rabbitmq-host", defaultValue = "localhost") String host,
            @ConfigProperty(name = "rabbitmq-port", defaultValue = "5672") int port,
            @ConfigProperty(name = "rabbitmq-addresses") Optional<String> addresses,
            @ConfigProperty(name = "rabbitmq-username", defaultValue = DEFAULT_CREDENTIAL) String username,
            @ConfigProperty(name = "rabbitmq-password", defaultValue = DEFAULT_CREDENTIAL) String password,
            @ConfigProperty(name = "rabbitmq-virtual-host", defaultValue = "/") String virtualHost,
            @ConfigProperty(name = "rabbitmq-ssl", defaultValue = "false") boolean ssl) {
        this.host = host;
        this.port = port;
        this.addresses = addresses.filter(a -> !a.isBlank());
        this.username = username;
        this.password = password;
        this.virtualHost = virtualHost;
        this.ssl = ssl;
    }

    public boolean usesDefaultCredentials() {
        return DEFAULT_CREDENTIAL.equals(username) && DEFAULT_CREDENTIAL.equals(password);
    }

    public String virtualHost() {
        return virtualHost;
    }

    /** Where the broker is, for logs and health output (never the credentials). */
    public String describe() {
        return addresses.orElse(host + ":" + port) + " vhost " + virtualHost;
    }

    public Address[] addresses() {
        return addresses.map(Address::parseAddresses).orElseGet(() -> new Address[] { new Address(host, port) });
    }

    /** A connection factory with these settings; callers add recovery and heartbeat settings of their own. */
    public ConnectionFactory connectionFactory(int timeoutMillis) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUsername(username);
        factory.setPassword(password);
        factory.setVirtualHost(virtualHost);
        factory.setConnectionTimeout(timeoutMillis);
        factory.setHandshakeTimeout(timeoutMillis);
        factory.setAutomaticRecoveryEnabled(false);
        if (ssl) {
            try {
                factory.useSslProtocol(javax.net.ssl.SSLContext.getDefault());
                factory.enableHostnameVerification();
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("TLS is not available in this JVM", e);
            }
        }
        return factory;
    }
}
