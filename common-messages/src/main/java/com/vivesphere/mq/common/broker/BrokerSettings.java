package com.vivesphere.mq.common.broker;

import java.nio.file.Path;
import java.util.Optional;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.ConnectionFactory;

/**
 * Where the broker is and how to log in: the workers read these from the keys the RabbitMQ connectors use
 * ({@code rabbitmq-host}, ...; env {@code RABBITMQ_HOST}, ...), so their own connection and the channels
 * always agree; mqctl from its options.
 */
public final class BrokerSettings {

    public static final String DEFAULT_CREDENTIAL = "guest";

    private final String host;
    private final int port;
    private final Optional<String> addresses;
    private final String username;
    private final String password;
    private final String virtualHost;
    private final boolean ssl;
    private final Optional<Path> passwordFile;

    public BrokerSettings(String host, int port, Optional<String> addresses, String username, String password,
            String virtualHost, boolean ssl) {
        this(host, port, addresses, username, password, virtualHost, ssl, Optional.empty());
    }

    private BrokerSettings(String host, int port, Optional<String> addresses, String username, String password,
            String virtualHost, boolean ssl, Optional<Path> passwordFile) {
        this.host = host;
        this.port = port;
        this.addresses = addresses.filter(a -> !a.isBlank());
        this.username = username;
        this.password = password;
        this.virtualHost = virtualHost;
        this.ssl = ssl;
        this.passwordFile = passwordFile;
    }

    /** The same, with the password read from {@code file} at every connection (it may be rotated). */
    public BrokerSettings withPasswordFile(Path file) {
        return new BrokerSettings(host, port, addresses, username, password, virtualHost, ssl, Optional.of(file));
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
        if (passwordFile.isPresent()) {
            factory.setCredentialsProvider(new PasswordFileCredentials(username, passwordFile.get()));
        } else {
            factory.setUsername(username);
            factory.setPassword(password);
        }
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
