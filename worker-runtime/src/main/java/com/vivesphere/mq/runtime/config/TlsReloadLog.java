package com.vivesphere.mq.runtime.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.tls.CertificateUpdatedEvent;

/**
 * Says when a TLS configuration re-read its files ({@code QUARKUS_TLS_<NAME>_RELOAD_PERIOD}): operators renewing a
 * certificate see when the worker took it; connections made from then on present and trust what the files now hold.
 */
@ApplicationScoped
public class TlsReloadLog {

    private static final Logger LOG = Logger.getLogger(TlsReloadLog.class);

    void reloaded(@Observes CertificateUpdatedEvent event) {
        LOG.infof("TLS configuration %s re-read its certificate files; connections made from now on use them", event.name());
    }
}
