package com.vivesphere.mq.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLContext;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.vivesphere.mq.common.broker.BrokerSettings;
import com.vivesphere.mq.common.broker.PemTls;
import com.vivesphere.mq.common.broker.SecretFile;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Where the broker is and who connects: the same environment variables as the apps ({@code RABBITMQ_*},
 * {@code VIVESPHERE_SECRETS_DIR}, {@code VIVESPHERE_RABBITMQ_AUTHENTICATION}), each overridable by an option.
 * Read into the apps' own {@link BrokerSettings}; TLS from PEM files ({@link PemTls}), for AMQP and the management
 * API alike.
 */
public class BrokerOptions {

    static final String USERNAME_VARIABLE = "RABBITMQ_USERNAME";
    static final String PASSWORD_VARIABLE = "RABBITMQ_PASSWORD";

    /** How mqctl logs in, named as the apps' {@code VIVESPHERE_RABBITMQ_AUTHENTICATION} names it. */
    public enum Authentication {
        PASSWORD, X509
    }

    public static class AuthenticationConverter extends EnumConverter<Authentication> {
        public AuthenticationConverter() {
            super(Authentication.class);
        }
    }

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--host", defaultValue = "${env:RABBITMQ_HOST:-localhost}", paramLabel = "HOST",
            description = "Broker host (env RABBITMQ_HOST; default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "${env:RABBITMQ_PORT:-5672}", paramLabel = "PORT",
            description = "Broker AMQP port (env RABBITMQ_PORT; default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--addresses", defaultValue = "${env:RABBITMQ_ADDRESSES}", paramLabel = "H1:P1,H2:P2",
            description = "Cluster address list; overrides --host and --port (env RABBITMQ_ADDRESSES).")
    String addresses;

    @Option(names = "--username", defaultValue = "${env:RABBITMQ_USERNAME}", paramLabel = "USER",
            description = "Broker user (env RABBITMQ_USERNAME, else the secrets directory's file of that name; default guest).")
    String username;

    @Option(names = "--password", defaultValue = "${env:RABBITMQ_PASSWORD}", paramLabel = "PASSWORD",
            arity = "0..1", interactive = true, prompt = "RabbitMQ password: ",
            description = "Broker password (env RABBITMQ_PASSWORD, preferred: a command line is visible to other users). "
                    + "Without a value, asks for it. Default: --password-file, else the secrets directory's file "
                    + "RABBITMQ_PASSWORD, else guest.")
    String password;

    @Option(names = "--password-file", defaultValue = "${env:RABBITMQ_PASSWORD_FILE}", paramLabel = "FILE",
            description = "A file holding the broker password, one trailing line break not part of it "
                    + "(env RABBITMQ_PASSWORD_FILE; not with --password).")
    Path passwordFile;

    @Option(names = "--secrets-dir", defaultValue = "${env:VIVESPHERE_SECRETS_DIR}", paramLabel = "DIR",
            description = "A directory of secrets one file per variable, as the apps read it (env VIVESPHERE_SECRETS_DIR): "
                    + "its files RABBITMQ_USERNAME and RABBITMQ_PASSWORD, when the variables and options are not set.")
    Path secretsDirectory;

    @Option(names = "--authentication", defaultValue = "${env:VIVESPHERE_RABBITMQ_AUTHENTICATION:-password}",
            converter = AuthenticationConverter.class, paramLabel = "password|x509",
            description = "password, or x509: log in with the client certificate (--tls-cert; SASL EXTERNAL), "
                    + "no password (env VIVESPHERE_RABBITMQ_AUTHENTICATION; default ${DEFAULT-VALUE}).")
    Authentication authentication;

    @Option(names = "--vhost", defaultValue = "${env:RABBITMQ_VHOST:-/}", paramLabel = "VHOST",
            description = "Virtual host (env RABBITMQ_VHOST; default ${DEFAULT-VALUE}).")
    String vhost;

    @Option(names = "--ssl", defaultValue = "${env:RABBITMQ_SSL:-false}",
            description = "Connect with TLS, verifying the host name (env RABBITMQ_SSL); trusts the JVM's trust store "
                    + "unless --tls-ca.")
    boolean ssl;

    @Option(names = "--tls-ca", defaultValue = "${env:RABBITMQ_TLS_CA_FILE}", paramLabel = "FILE",
            description = "PEM file of the CA certificates to trust for the broker and its management API "
                    + "(env RABBITMQ_TLS_CA_FILE). Turns TLS on.")
    Path tlsCa;

    @Option(names = "--tls-cert", defaultValue = "${env:RABBITMQ_TLS_CERT_FILE}", paramLabel = "FILE",
            description = "PEM file of the client certificate for mutual TLS, with --tls-key (env RABBITMQ_TLS_CERT_FILE). "
                    + "Turns TLS on.")
    Path tlsCert;

    @Option(names = "--tls-key", defaultValue = "${env:RABBITMQ_TLS_KEY_FILE}", paramLabel = "FILE",
            description = "PEM file of the client certificate's unencrypted PKCS#8 key (env RABBITMQ_TLS_KEY_FILE).")
    Path tlsKey;

    @Option(names = "--no-tls-hostname-verification",
            description = "Do not check that the broker's certificate names the host connected to (the chain is still "
                    + "checked). Turns TLS on.")
    boolean noTlsHostnameVerification;

    @Option(names = "--management-url", defaultValue = "${env:RABBITMQ_MANAGEMENT_URL}", paramLabel = "URL",
            description = "Management HTTP API (env RABBITMQ_MANAGEMENT_URL; default http://HOST:15672, "
                    + "HOST being the first broker host; https://… uses the TLS options too).")
    String managementUrl;

    @Option(names = "--timeout", defaultValue = "10s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Connection, confirm and HTTP timeout (default ${DEFAULT-VALUE}).")
    Duration timeout;

    /** @throws ParameterException (a usage error) for a secret or TLS file that cannot be used, or options that disagree */
    public BrokerSettings config() {
        BrokerSettings plain = new BrokerSettings(host, port, Optional.ofNullable(addresses), username(), password(), vhost, ssl);
        Optional<PemTls> tls = tls();
        BrokerSettings settings = tls.map(files -> files.applyTo(plain)).orElse(plain);
        if (authentication == Authentication.X509) {
            if (tls.isEmpty() || !tls.get().clientCertificate()) {
                throw usage("--authentication x509 logs in with a client certificate: give --tls-cert and --tls-key");
            }
            settings = settings.withExternalAuthentication();
        }
        return settings;
    }

    /** TLS from PEM files when any TLS file or setting is given (checked here, so that a bad file is a usage error). */
    Optional<PemTls> tls() {
        if (tlsCa == null && tlsCert == null && tlsKey == null && !noTlsHostnameVerification) {
            return Optional.empty();
        }
        try {
            PemTls tls = new PemTls(Optional.ofNullable(tlsCa), Optional.ofNullable(tlsCert), Optional.ofNullable(tlsKey),
                    !noTlsHostnameVerification);
            tls.sslContext();
            return Optional.of(tls);
        } catch (IllegalArgumentException e) {
            throw usage("TLS: " + e.getMessage() + " (--tls-ca, --tls-cert, --tls-key)");
        }
    }

    String username() {
        return username != null ? username : secret(USERNAME_VARIABLE).orElse(BrokerSettings.DEFAULT_CREDENTIAL);
    }

    /** The password given, or read from its file, or from the secrets directory; never printed. */
    String password() {
        if (password != null && passwordFile != null) {
            throw usage("give the password (--password, RABBITMQ_PASSWORD) or a file holding it (--password-file, "
                    + "RABBITMQ_PASSWORD_FILE), not both");
        }
        if (password != null) {
            return password;
        }
        if (passwordFile != null) {
            return readSecret(passwordFile, "--password-file");
        }
        return secret(PASSWORD_VARIABLE).orElse(BrokerSettings.DEFAULT_CREDENTIAL);
    }

    /** The secrets directory's file named {@code variable}, as the apps read it. */
    private Optional<String> secret(String variable) {
        if (secretsDirectory == null) {
            return Optional.empty();
        }
        if (!Files.isDirectory(secretsDirectory)) {
            throw usage("--secrets-dir (VIVESPHERE_SECRETS_DIR) names " + secretsDirectory + ", which is not a directory");
        }
        Path file = secretsDirectory.resolve(variable);
        return Files.exists(file) ? Optional.of(readSecret(file, "--secrets-dir")) : Optional.empty();
    }

    private String readSecret(Path file, String option) {
        try {
            return SecretFile.read(file);
        } catch (UncheckedIOException e) {
            IOException cause = e.getCause();
            throw usage(option + ": cannot read " + file + " (" + cause.getClass().getSimpleName() + ")");
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(command.commandLine(), message);
    }

    public String vhost() {
        return vhost;
    }

    public Duration timeout() {
        return timeout;
    }

    /** Where the broker is, for messages (never the credentials). */
    public String describe() {
        return location().describe();
    }

    /** Where the broker is, without credentials or files: nothing to read, nothing that can fail. */
    private BrokerSettings location() {
        return new BrokerSettings(host, port, Optional.ofNullable(addresses), "", "", vhost, false);
    }

    /** A new connection named {@code mqctl <purpose>} (the name shows in the management UI). */
    public Connection connect(String purpose) throws IOException, TimeoutException {
        BrokerSettings config = config();
        ConnectionFactory factory = config.connectionFactory((int) timeout.toMillis());
        factory.setRequestedHeartbeat(30);
        factory.setChannelRpcTimeout((int) timeout.toMillis());
        return factory.newConnection(config.addresses(), "mqctl " + purpose);
    }

    /** The management API, over HTTPS with the same trust and client certificate as AMQP when TLS files are given. */
    public ManagementApi management() {
        Optional<SSLContext> tls = tls().map(PemTls::sslContext);
        return new ManagementApi(managementUri(), vhost, username(), password(), timeout, tls);
    }

    URI managementUri() {
        if (managementUrl != null && !managementUrl.isBlank()) {
            return URI.create(managementUrl.endsWith("/") ? managementUrl.substring(0, managementUrl.length() - 1) : managementUrl);
        }
        Address first = location().addresses()[0];
        return URI.create("http://" + first.getHost() + ":15672");
    }
}
