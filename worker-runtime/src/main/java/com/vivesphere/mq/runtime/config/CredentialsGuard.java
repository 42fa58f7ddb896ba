package com.vivesphere.mq.runtime.config;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.vivesphere.mq.common.broker.BrokerSettings;

import io.quarkus.runtime.StartupEvent;

/**
 * Refuses to start with RabbitMQ's well-known {@code guest}/{@code guest} credentials unless
 * {@code vivesphere.rabbitmq.allow-default-credentials} is true (the dev and test profiles set it).
 */
@ApplicationScoped
public class CredentialsGuard {

    private final BrokerSettings broker;
    private final boolean allowDefaultCredentials;

    public CredentialsGuard(BrokerSettings broker,
            @ConfigProperty(name = "vivesphere.rabbitmq.allow-default-credentials", defaultValue = "false") boolean allowDefaultCredentials) {
        this.broker = broker;
        this.allowDefaultCredentials = allowDefaultCredentials;
    }

    /** Before anything else starts (the schema migration included), so a refused start says only why. */
    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE - 30) StartupEvent event) {
        check();
    }

    public void check() {
        if (broker.usesDefaultCredentials() && !allowDefaultCredentials) {
            throw new IllegalStateException("Refusing to start with RabbitMQ's default guest/guest credentials. "
                    + "Set RABBITMQ_USERNAME and RABBITMQ_PASSWORD, or VIVESPHERE_RABBITMQ_ALLOW_DEFAULT_CREDENTIALS=true "
                    + "for a throw-away broker.");
        }
    }
}
