package com.vivesphere.mq.runtime.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.vivesphere.mq.common.broker.BrokerSettings;

class CredentialsGuardTest {

    private static BrokerSettings broker(String username, String password) {
        return new BrokerSettings("localhost", 5672, Optional.empty(), username, password, "/", false);
    }

    @Test
    void refusesGuestGuestUnlessAllowed() {
        assertThatThrownBy(() -> new CredentialsGuard(broker("guest", "guest"), false).check())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("RABBITMQ_USERNAME")
                .hasMessageContaining("VIVESPHERE_RABBITMQ_ALLOW_DEFAULT_CREDENTIALS");
        assertThatCode(() -> new CredentialsGuard(broker("guest", "guest"), true).check()).doesNotThrowAnyException();
    }

    @Test
    void acceptsRealCredentials() {
        assertThatCode(() -> new CredentialsGuard(broker("vivesphere", "guest"), false).check()).doesNotThrowAnyException();
        assertThatCode(() -> new CredentialsGuard(broker("guest", "s3cret"), false).check()).doesNotThrowAnyException();
    }
}
