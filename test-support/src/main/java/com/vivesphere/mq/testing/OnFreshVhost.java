package com.vivesphere.mq.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import com.rabbitmq.client.Connection;

/** Base of plain JUnit tests against the broker: each test gets a new vhost and a connection to it. */
public abstract class OnFreshVhost {

    protected final BrokerAdmin admin = new BrokerAdmin();
    protected String vhost;
    protected Connection connection;

    @BeforeEach
    void createFreshVhost() {
        vhost = admin.createVhost();
        connection = admin.connect(vhost);
    }

    @AfterEach
    void deleteFreshVhost() throws Exception {
        connection.close();
        admin.deleteVhost(vhost);
    }
}
