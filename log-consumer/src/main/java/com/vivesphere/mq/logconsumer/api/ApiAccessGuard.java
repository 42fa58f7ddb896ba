package com.vivesphere.mq.logconsumer.api;

import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;

/**
 * A start-up guard: the query API is never left open by accident. It either checks tokens, with a key to verify
 * them, or is open because {@code LOG_CONSUMER_API_ACCESS=permit} says so.
 */
public class ApiAccessGuard {

    static final String OPEN = "permit";
    private static final Logger LOG = Logger.getLogger(ApiAccessGuard.class);

    /** Before anything else starts (the schema migration included), so a refused start says only why. */
    static void refuseTokensWithoutAKey(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE - 30) StartupEvent event,
            @ConfigProperty(name = "quarkus.http.auth.permission.logs.policy") String access,
            @ConfigProperty(name = "mp.jwt.verify.publickey.location") Optional<String> key) {
        if (OPEN.equals(access)) {
            if (LaunchMode.current() == LaunchMode.NORMAL) {
                LOG.warn("LOG_CONSUMER_API_ACCESS=permit: the query API answers anyone who reaches this port");
            }
        } else if (key.isEmpty()) {
            throw new IllegalStateException("The query API checks bearer tokens (LOG_CONSUMER_API_ACCESS=" + access
                    + ") but has no key to verify them: set MP_JWT_VERIFY_PUBLICKEY_LOCATION (a PEM public key file or a JWKS "
                    + "URL), or LOG_CONSUMER_API_ACCESS=permit to leave the API open to anyone who reaches it");
        }
    }
}
