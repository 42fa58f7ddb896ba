package com.vivesphere.mq.common.broker;

import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultSaslConfig;
import com.rabbitmq.client.SocketConfigurators;
import com.rabbitmq.client.SslContextFactory;

/**
 * Where the broker is and how to log in: the workers read these from the keys the RabbitMQ connectors use
 * ({@code rabbitmq-host}, ...; env {@code RABBITMQ_HOST}, ...), so their own connection and the channels
 * always agree; mqctl from its options.
 */
public final class BrokerSettings {

    public static final String DEFAULT_CREDENTIAL = "guest";

    /**
     * TLS with an SSL context made for each connection, so that renewed certificates are used at the next one; the
     * client certificate as it is now, if any (what a refused connection is checked against).
     */
    private record Tls(SslContextFactory contexts, boolean verifyHostname, Supplier<List<X509Certificate>> clientCertificate) {
    }

    private final String host;
    private final int port;
    private final Optional<String> addresses;
    private final String username;
    private final String password;
    private final String virtualHost;
    private final boolean ssl;
    private final Optional<Path> passwordFile;
    private final Optional<Tls> tls;
    private final boolean externalAuthentication;

    public BrokerSettings(String host, int port, Optional<String> addresses, String username, String password,
            String virtualHost, boolean ssl) {
        this(host, port, addresses, username, password, virtualHost, ssl, Optional.empty(), Optional.empty(), false);
    }

    private BrokerSettings(String host, int port, Optional<String> addresses, String username, String password,
            String virtualHost, boolean ssl, Optional<Path> passwordFile, Optional<Tls> tls, boolean externalAuthentication) {
        this.host = host;
        this.port = port;
        this.addresses = addresses.filter(a -> !a.isBlank());
        this.username = username;
        this.password = password;
        this.virtualHost = virtualHost;
        this.ssl = ssl;
        this.passwordFile = passwordFile;
        this.tls = tls;
        this.externalAuthentication = externalAuthentication;
    }

    /** The same, with the password read from {@code file} at every connection (it may be rotated). */
    public BrokerSettings withPasswordFile(Path file) {
        return new BrokerSettings(host, port, addresses, username, password, virtualHost, ssl, Optional.of(file), tls,
                externalAuthentication);
    }

    /**
     * The same over TLS with an SSL context from {@code contexts} for each connection (trust, and for mutual TLS the
     * client certificate {@code clientCertificate} gives as it is at the time, empty without one), instead of the
     * JVM's default one.
     */
    public BrokerSettings withTls(SslContextFactory contexts, boolean verifyHostname,
            Supplier<List<X509Certificate>> clientCertificate) {
        return new BrokerSettings(host, port, addresses, username, password, virtualHost, true, passwordFile,
                Optional.of(new Tls(contexts, verifyHostname, clientCertificate)), externalAuthentication);
    }

    /** The same, logging in with the client certificate (SASL EXTERNAL, RabbitMQ's x509 authentication): no password. */
    public BrokerSettings withExternalAuthentication() {
        return new BrokerSettings(host, port, addresses, username, password, virtualHost, ssl, passwordFile, tls, true);
    }

    public boolean usesDefaultCredentials() {
        return !externalAuthentication && DEFAULT_CREDENTIAL.equals(username) && DEFAULT_CREDENTIAL.equals(password);
    }

    /**
     * A connection failure as logs and health say it. A broker that requires a client certificate closes a TLS
     * connection without one, often with no more than a reset: then say what is missing. A certificate out of its
     * validity period is named as such, with its date, since the TLS stack's own message hides it in a cause.
     */
    public String explain(Exception failure) {
        Optional<String> validity = CertificateValidity.reason(failure);
        if (validity.isPresent()) {
            return failure + "; " + validity.get();
        }
        boolean closedOverTls = failure instanceof java.net.SocketException || failure instanceof javax.net.ssl.SSLException;
        if (tls.isEmpty() || !closedOverTls) {
            return failure.toString();
        }
        List<X509Certificate> presented;
        try {
            presented = tls.get().clientCertificate().get();
        } catch (RuntimeException unreadable) {
            return failure + "; " + unreadable.getMessage();
        }
        if (presented.isEmpty()) {
            return failure + "; this worker presents no client certificate: if the broker requires one"
                    + " (ssl_options.fail_if_no_peer_cert), give its TLS configuration a key store";
        }
        // A broker refusing the certificate often just closes the connection: look at the certificate's dates here.
        return CertificateValidity.ofClientCertificate(presented).map(reason -> failure + "; " + reason)
                .orElse(failure.toString());
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
        if (externalAuthentication) {
            factory.setSaslConfig(DefaultSaslConfig.EXTERNAL);
        } else if (passwordFile.isPresent()) {
            factory.setCredentialsProvider(new PasswordFileCredentials(username, passwordFile.get()));
        } else {
            factory.setUsername(username);
            factory.setPassword(password);
        }
        factory.setVirtualHost(virtualHost);
        factory.setConnectionTimeout(timeoutMillis);
        factory.setHandshakeTimeout(timeoutMillis);
        factory.setAutomaticRecoveryEnabled(false);
        if (tls.isPresent()) {
            // Each connection takes a context of its own from the factory, so renewed certificates are used at the
            // next one. Not useSslProtocol as well: its socket factory would take precedence, one context for good.
            // The client turns hostname verification on with the factory; turning it off means the plain configurator.
            factory.setSslContextFactory(tls.get().contexts());
            if (!tls.get().verifyHostname()) {
                factory.setSocketConfigurator(SocketConfigurators.defaultConfigurator());
            }
        } else if (ssl) {
            try {
                factory.useSslProtocol(SSLContext.getDefault());
                factory.enableHostnameVerification();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("TLS is not available in this JVM", e);
            }
        }
        return factory;
    }
}
