package com.vivesphere.mq.common.broker;

import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * Finds, in a TLS failure's causes, a certificate refused for its validity period ("validity check failed" on
 * top), and says so plainly: expired on, or not valid before, the date the certificate names. A broker refusing
 * the client certificate is not seen as such (under TLS 1.3 the client meets a closed connection), so the client
 * certificate is judged by its own dates ({@link #ofClientCertificate}).
 */
public final class CertificateValidity {

    private CertificateValidity() {
    }

    /** Whether the client certificate this side presents ({@code chain}, its own first) is outside its validity period now. */
    public static Optional<String> ofClientCertificate(List<X509Certificate> chain) {
        X509Certificate own = chain.get(0);
        try {
            own.checkValidity();
            return Optional.empty();
        } catch (CertificateExpiredException e) {
            return Optional.of("this worker's client certificate expired (NotAfter: " + own.getNotAfter().toInstant()
                    + "): renew it");
        } catch (CertificateNotYetValidException e) {
            return Optional.of("this worker's client certificate is not yet valid (NotBefore: " + own.getNotBefore().toInstant()
                    + "): check the clocks");
        }
    }

    public static Optional<String> reason(Throwable failure) {
        // The dated exception lies below the path validator's one, which only knows the kind.
        Optional<String> kind = Optional.empty();
        for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause instanceof CertificateExpiredException expired) {
                return Optional.of("a certificate expired (" + expired.getMessage() + "): renew it");
            }
            if (cause instanceof CertificateNotYetValidException early) {
                return Optional.of("a certificate is not yet valid (" + early.getMessage() + "): check the clocks");
            }
            if (cause instanceof CertPathValidatorException path && kind.isEmpty()) {
                if (path.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
                    kind = Optional.of("a certificate expired: renew it");
                } else if (path.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                    kind = Optional.of("a certificate is not yet valid: check the clocks");
                }
            }
        }
        return kind;
    }
}
