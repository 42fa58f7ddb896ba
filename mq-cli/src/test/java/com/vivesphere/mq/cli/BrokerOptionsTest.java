package com.vivesphere.mq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.vivesphere.mq.common.broker.PemTls;
import com.vivesphere.mq.testing.Certificates;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;

/** The connection options as parsed: where the password comes from, when TLS is on, and the usage errors. */
class BrokerOptionsTest {

    /** Made once: openssl takes a while. */
    private static final Certificates certificates = Certificates.generate(Path.of("target"));

    @TempDir
    Path files;

    @Command(name = "probe")
    static class Probe {
        @Mixin
        BrokerOptions broker;
    }

    private static BrokerOptions parse(String... args) {
        Probe probe = new Probe();
        new CommandLine(probe).parseArgs(args);
        return probe.broker;
    }

    @Test
    void aPasswordFileLosesOneTrailingLineBreak() throws Exception {
        Path file = Files.writeString(files.resolve("password"), "s3cret\n");
        Path twoBreaks = Files.writeString(files.resolve("password-2"), "s3cret\n\n");

        assertThat(parse("--password-file", file.toString()).password()).isEqualTo("s3cret");
        assertThat(parse("--password-file", twoBreaks.toString()).password()).isEqualTo("s3cret\n");
    }

    @Test
    void theSecretsDirectoryGivesUserAndPasswordUnlessTheyAreGiven() throws Exception {
        Files.writeString(files.resolve("RABBITMQ_USERNAME"), "operator\n");
        Files.writeString(files.resolve("RABBITMQ_PASSWORD"), "from-the-directory\n");
        Files.writeString(files.resolve(".hidden"), "ignored");

        BrokerOptions fromDirectory = parse("--secrets-dir", files.toString());
        BrokerOptions given = parse("--secrets-dir", files.toString(), "--username", "someone", "--password", "given");

        assertThat(fromDirectory.username()).isEqualTo("operator");
        assertThat(fromDirectory.password()).isEqualTo("from-the-directory");
        assertThat(given.username()).isEqualTo("someone");
        assertThat(given.password()).isEqualTo("given");
    }

    @Test
    void withoutAnyPasswordItIsGuestAsBefore() throws Exception {
        Path emptyDirectory = Files.createDirectory(files.resolve("empty"));

        assertThat(parse("--secrets-dir", emptyDirectory.toString()).password()).isEqualTo("guest");
        assertThat(parse("--secrets-dir", emptyDirectory.toString()).username()).isEqualTo("guest");
    }

    @Test
    void aPasswordAndAPasswordFileTogetherAreAUsageError() throws Exception {
        Path file = Files.writeString(files.resolve("password"), "s3cret");

        assertThatThrownBy(() -> parse("--password", "other", "--password-file", file.toString()).password())
                .isInstanceOf(ParameterException.class).hasMessageContaining("not both");
    }

    @Test
    void aMissingPasswordFileIsAUsageErrorOfTheCommandNamingTheFile() {
        Path missing = files.resolve("no-such-file");

        CliTestBase.Result result = CliTestBase.mqctlAsIs("status", "--password-file", missing.toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).isEqualTo("mqctl: --password-file: cannot read " + missing + " (NoSuchFileException)\n"
                + "Try 'mqctl status --help'.\n");
    }

    @Test
    void aSecretsDirectoryThatIsNoDirectoryIsAUsageError() throws Exception {
        Path file = Files.writeString(files.resolve("a-file"), "x");

        CliTestBase.Result result = CliTestBase.mqctlAsIs("topology", "apply", "--secrets-dir", file.toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).startsWith("mqctl: --secrets-dir (VIVESPHERE_SECRETS_DIR) names " + file + ", which is not a directory");
    }

    @Test
    void tlsIsOnWithAnyTlsOptionAndVerifiesTheHostNameUnlessToldNot() {
        String ca = certificates.caCertificate().toString();

        assertThat(parse().tls()).isEmpty();
        assertThat(parse("--ssl").tls()).as("--ssl alone: the JVM's trust store, as before").isEmpty();
        PemTls trusting = parse("--tls-ca", ca).tls().orElseThrow();
        assertThat(trusting.caCertificates()).contains(certificates.caCertificate());
        assertThat(trusting.verifyHostname()).isTrue();
        assertThat(trusting.clientCertificate()).isFalse();
        PemTls unverified = parse("--no-tls-hostname-verification").tls().orElseThrow();
        assertThat(unverified.verifyHostname()).isFalse();
        assertThat(unverified.caCertificates()).isEmpty();
        PemTls mutual = parse("--tls-ca", ca, "--tls-cert", certificates.clientCertificate().toString(), "--tls-key",
                certificates.clientKey().toString()).tls().orElseThrow();
        assertThat(mutual.clientCertificate()).isTrue();
    }

    @Test
    void aCertificateWithoutItsKeyIsAUsageError() {

        CliTestBase.Result result = CliTestBase.mqctlAsIs("status", "--tls-cert", certificates.clientCertificate().toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).startsWith("mqctl: TLS: a client certificate needs its key");
    }

    @Test
    void aCaFileWithoutACertificateIsAUsageErrorNamingIt() throws Exception {
        Path notPem = Files.writeString(files.resolve("ca.pem"), "not a certificate\n");

        CliTestBase.Result result = CliTestBase.mqctlAsIs("status", "--tls-ca", notPem.toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).startsWith("mqctl: TLS: the CA certificates file " + notPem + " holds no PEM certificate");
    }

    @Test
    void x509WithoutAClientCertificateIsAUsageError() {
        CliTestBase.Result result = CliTestBase.mqctlAsIs("topology", "apply", "--authentication", "x509", "--ssl");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).startsWith("mqctl: --authentication x509 logs in with a client certificate: give --tls-cert and --tls-key");
    }

    @Test
    void authenticationIsPasswordOrX509InAnyCase() {
        assertThat(parse().authentication).isEqualTo(BrokerOptions.Authentication.PASSWORD);
        assertThat(parse("--authentication", "X509").authentication).isEqualTo(BrokerOptions.Authentication.X509);
        assertThatThrownBy(() -> parse("--authentication", "kerberos")).isInstanceOf(ParameterException.class)
                .hasMessageContaining("'kerberos' is not one of password, x509");
    }
}
