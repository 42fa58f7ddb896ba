package com.vivesphere.mq.runtime.config;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.tls.CertificateUpdatedEvent;
import io.quarkus.tls.TlsConfiguration;

/**
 * Says when a TLS configuration's files ({@code QUARKUS_TLS_<NAME>_RELOAD_PERIOD}) hold other certificates than
 * before: operators renewing a certificate see when the worker took it and what it presents now. The registry
 * re-reads the files every period whether they changed or not; only the first reading and the changes are logged.
 */
@ApplicationScoped
public class TlsReloadLog {

    private static final Logger LOG = Logger.getLogger(TlsReloadLog.class);

    private final Map<String, String> fingerprints = new ConcurrentHashMap<>();

    void reloaded(@Observes CertificateUpdatedEvent event) {
        TlsConfiguration tls = event.tlsConfiguration();
        List<X509Certificate> certificates = new ArrayList<>(certificates(tls.getKeyStore()));
        int ownCertificates = certificates.size();
        certificates.addAll(certificates(tls.getTrustStore()));
        String now = fingerprint(certificates);
        String previous = fingerprints.put(event.name(), now);
        if (previous == null) {
            LOG.infof("TLS configuration %s re-reads its certificate files; it holds %s", event.name(),
                    describe(certificates, ownCertificates));
        } else if (!previous.equals(now)) {
            LOG.infof("TLS configuration %s: its certificate files changed; connections made from now on use %s",
                    event.name(), describe(certificates, ownCertificates));
        }
    }

    private static String describe(List<X509Certificate> certificates, int ownCertificates) {
        String own = ownCertificates == 0 ? "no client certificate"
                : "the certificate " + certificates.get(0).getSubjectX500Principal().getName() + " (NotAfter: "
                        + certificates.get(0).getNotAfter().toInstant() + ")";
        return own + " and " + (certificates.size() - ownCertificates) + " trusted certificate(s)";
    }

    private static List<X509Certificate> certificates(KeyStore store) {
        if (store == null) {
            return List.of();
        }
        try {
            List<X509Certificate> certificates = new ArrayList<>();
            for (String alias : Collections.list(store.aliases())) {
                Certificate[] chain = store.getCertificateChain(alias);
                for (Certificate certificate : chain != null ? chain : new Certificate[] {store.getCertificate(alias)}) {
                    if (certificate instanceof X509Certificate x509) {
                        certificates.add(x509);
                    }
                }
            }
            return certificates;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS key or trust store unreadable after a reload", e);
        }
    }

    private static String fingerprint(List<X509Certificate> certificates) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (X509Certificate certificate : certificates) {
                digest.update(certificate.getEncoded());
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
