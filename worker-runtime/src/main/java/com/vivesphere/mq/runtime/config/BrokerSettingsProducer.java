package com.vivesphere.mq.runtime.config;

import java.nio.file.Path;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.rabbitmq.client.SslContextFactory;
import com.vivesphere.mq.common.broker.BrokerSettings;
import com.vivesphere.mq.common.broker.SecretFile;

import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;

/** The workers' {@link BrokerSettings}, from the keys both RabbitMQ connectors read and the TLS registry. */
public class BrokerSettingsProducer {

    static final String PASSWORD_VARIABLE = "RABBITMQ_PASSWORD";
    static final String X509 = "x509";

    @Produces
    @Singleton
    BrokerSettings brokerSettings(
            @ConfigProperty(name = "rabbitmq-host", defaultValue = "localhost") String host,
            @ConfigProperty(name = "rabbitmq-port", defaultValue = "5672") int port,
            @ConfigProperty(name = "rabbitmq-addresses") Optional<String> addresses,
            @ConfigProperty(name = "rabbitmq-username", defaultValue = BrokerSettings.DEFAULT_CREDENTIAL) String username,
            @ConfigProperty(name = "rabbitmq-password", defaultValue = BrokerSettings.DEFAULT_CREDENTIAL) String password,
            @ConfigProperty(name = "rabbitmq-virtual-host", defaultValue = "/") String virtualHost,
            @ConfigProperty(name = "rabbitmq-ssl", defaultValue = "false") boolean ssl,
            @ConfigProperty(name = "vivesphere.rabbitmq.tls-configuration-name") Optional<String> tlsConfigurationName,
            @ConfigProperty(name = "vivesphere.rabbitmq.authentication", defaultValue = "password") String authentication,
            TlsConfigurationRegistry tlsRegistry, Config config) {
        BrokerSettings settings = new BrokerSettings(host, port, addresses, username, password, virtualHost, ssl);
        // A password from the secrets directory is read again at every connection, so that a rotated one is
        // used at the next (re)connection; the smallrye-rabbitmq connector reads it at start only.
        Optional<Path> passwordFile = SecretsDirectoryConfigSourceFactory.fileOf(config, PASSWORD_VARIABLE)
                .filter(file -> SecretFile.read(file).equals(password));
        settings = passwordFile.map(settings::withPasswordFile).orElse(settings);
        if (tlsConfigurationName.isPresent()) {
            TlsConfiguration tls = tlsRegistry.get(tlsConfigurationName.get()).orElseThrow(() -> new IllegalStateException(
                    "VIVESPHERE_RABBITMQ_TLS_CONFIGURATION_NAME=" + tlsConfigurationName.get() + " names no TLS configuration: set "
                            + "QUARKUS_TLS_" + tlsConfigurationName.get().toUpperCase().replace('-', '_')
                            + "_TRUST_STORE_PEM_CERTS (docs/configuration.md, TLS to the broker)"));
            settings = settings.withTls(contextsOf(tls), !"NONE".equalsIgnoreCase(tls.getHostnameVerificationAlgorithm().orElse("HTTPS")),
                    () -> clientCertificateOf(tls));
        }
        if (X509.equals(authentication)) {
            if (tlsConfigurationName.isEmpty()) {
                throw new IllegalStateException("VIVESPHERE_RABBITMQ_AUTHENTICATION=x509 logs in with a client certificate: "
                        + "name the TLS configuration that holds it in VIVESPHERE_RABBITMQ_TLS_CONFIGURATION_NAME");
            }
            settings = settings.withExternalAuthentication();
        } else if (!"password".equals(authentication)) {
            throw new IllegalStateException("VIVESPHERE_RABBITMQ_AUTHENTICATION is password or x509, not " + authentication);
        }
        return settings;
    }

    /** The key store's certificate chain as the registry holds it now (reloaded files included); empty without one. */
    private static List<X509Certificate> clientCertificateOf(TlsConfiguration tls) {
        KeyStore keyStore = tls.getKeyStore();
        if (keyStore == null) {
            return List.of();
        }
        try {
            for (String alias : Collections.list(keyStore.aliases())) {
                Certificate[] chain = keyStore.getCertificateChain(alias);
                if (chain != null && chain.length > 0) {
                    return Arrays.stream(chain).map(X509Certificate.class::cast).toList();
                }
            }
            return List.of();
        } catch (KeyStoreException e) {
            throw new IllegalStateException("TLS configuration " + tls.getName() + " has an unreadable key store: " + e, e);
        }
    }

    /** A context per connection from the configuration as it is then: the registry reloads renewed files. */
    private static SslContextFactory contextsOf(TlsConfiguration tls) {
        return connectionName -> {
            try {
                return tls.createSSLContext();
            } catch (Exception e) {
                throw new IllegalStateException("TLS configuration " + tls.getName() + " cannot make an SSL context: " + e, e);
            }
        };
    }
}
