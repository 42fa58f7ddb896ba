package com.vivesphere.mq.common.testing;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import com.rabbitmq.client.Connection;

/**
 * Base of {@code @QuarkusTest} classes whose application runs in a vhost of its own (see
 * {@link TestVhostResource}): gives each test a plain AMQP connection to that vhost, as any producer has.
 */
public abstract class OnTestVhost {

    @ConfigProperty(name = "rabbitmq-virtual-host")
    protected String vhost;

    protected final BrokerAdmin admin = new BrokerAdmin();
    protected Connection connection;

    @BeforeEach
    void connectToTestVhost() {
        connection = admin.connect(vhost);
    }

    @AfterEach
    void closeTestVhostConnection() throws Exception {
        connection.close();
    }
}
