package com.vivesphere.mq.common.broker;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

import com.rabbitmq.client.SslContextFactory;

/**
 * TLS from PEM files in plain Java, as cert-manager or Vault Agent hand them out: the CA certificates to trust
 * (without them, the JVM's trust store), and a client certificate (chain) with its unencrypted PKCS#8 key for
 * mutual TLS. mqctl's; the workers take the same files through Quarkus's TLS registry. The files are read again
 * for every context, so renewed ones are used at the next connection.
 */
public record PemTls(Optional<Path> caCertificates, Optional<Path> certificate, Optional<Path> key, boolean verifyHostname) {

    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519");

    public PemTls {
        if (certificate.isPresent() != key.isPresent()) {
            throw new IllegalArgumentException("a client certificate needs its key, and a key its certificate");
        }
    }

    public boolean clientCertificate() {
        return certificate.isPresent();
    }

    /** {@code settings} over TLS with these files, a context of its own for every connection. */
    public BrokerSettings applyTo(BrokerSettings settings) {
        SslContextFactory contexts = connectionName -> sslContext();
        return settings.withTls(contexts, verifyHostname, this::clientCertificateChain);
    }

    /** The client certificate's chain as its file holds it now; empty without one. */
    private List<X509Certificate> clientCertificateChain() {
        return certificate.map(file -> certificates(file, "client certificate").stream().map(X509Certificate.class::cast).toList())
                .orElse(List.of());
    }

    /**
     * A context trusting the CA certificates and presenting the client certificate. Without host name verification
     * it still checks the chain, for clients that verify names whatever their settings say (the JDK's HttpClient).
     *
     * @throws IllegalArgumentException naming the file that is missing, unreadable or holds no usable PEM
     */
    public SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            TrustManager[] trust = trustManagers();
            context.init(keyManagers(), verifyHostname ? trust : withoutHostnameVerification(trust), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available in this JVM: " + e, e);
        }
    }

    private TrustManager[] trustManagers() throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (caCertificates.isEmpty()) {
            factory.init((KeyStore) null);
            return factory.getTrustManagers();
        }
        KeyStore trusted = emptyKeyStore();
        List<Certificate> authorities = certificates(caCertificates.get(), "CA certificates");
        for (int i = 0; i < authorities.size(); i++) {
            trusted.setCertificateEntry("ca-" + i, authorities.get(i));
        }
        factory.init(trusted);
        return factory.getTrustManagers();
    }

    private KeyManager[] keyManagers() throws GeneralSecurityException {
        if (certificate.isEmpty()) {
            return null;
        }
        List<Certificate> chain = certificates(certificate.get(), "client certificate");
        KeyStore identity = emptyKeyStore();
        identity.setKeyEntry("client", privateKey(key.get()), new char[0], chain.toArray(Certificate[]::new));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(identity, new char[0]);
        return factory.getKeyManagers();
    }

    private static KeyStore emptyKeyStore() throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return store;
    }

    private static List<Certificate> certificates(Path file, String what) {
        List<Certificate> certificates;
        try {
            certificates = List.copyOf(CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(read(file, what).getBytes(StandardCharsets.US_ASCII))));
        } catch (CertificateException e) {
            throw new IllegalArgumentException("the " + what + " file " + file + " holds no PEM certificate: " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("the " + what + " file " + file + " holds no PEM certificate");
        }
        return certificates;
    }

    private static PrivateKey privateKey(Path file) {
        Matcher block = PEM.matcher(read(file, "key"));
        if (!block.find()) {
            throw new IllegalArgumentException("the key file " + file + " holds no PEM key");
        }
        if (!block.group(1).equals("PRIVATE KEY")) {
            throw new IllegalArgumentException("the key file " + file + " holds a " + block.group(1) + "; give an unencrypted "
                    + "PKCS#8 key (BEGIN PRIVATE KEY): openssl pkcs8 -topk8 -nocrypt -in " + file.getFileName());
        }
        PKCS8EncodedKeySpec encoded = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(block.group(2)));
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(encoded);
            } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
                // another algorithm's key
            }
        }
        throw new IllegalArgumentException("the key file " + file + " holds no " + String.join(", ", KEY_ALGORITHMS) + " key");
    }

    private static String read(Path file, String what) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the " + what + " file " + file + ": " + e, e);
        }
    }

    /** The chain is checked as before; only the host name check of a socket's or engine's handshake is left out. */
    private static TrustManager[] withoutHostnameVerification(TrustManager[] managers) {
        TrustManager[] wrapped = managers.clone();
        for (int i = 0; i < wrapped.length; i++) {
            if (wrapped[i] instanceof X509ExtendedTrustManager trust) {
                wrapped[i] = new ChainOnlyTrustManager(trust);
            }
        }
        return wrapped;
    }

    private static final class ChainOnlyTrustManager extends X509ExtendedTrustManager {

        private final X509ExtendedTrustManager delegate;

        ChainOnlyTrustManager(X509ExtendedTrustManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            delegate.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            delegate.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }
}
