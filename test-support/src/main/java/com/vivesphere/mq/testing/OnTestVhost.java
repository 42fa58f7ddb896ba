package com.vivesphere.mq.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

    /**
     * The names that the connections consuming {@code queue} gave themselves; the management API lists a new
     * consumer a few seconds late.
     */
    protected List<String> consumerConnections(String queue) {
        Map<String, String> clientNames = admin.connections(vhost);
        List<String> names = new ArrayList<>();
        admin.queue(vhost, queue).path("consumer_details").forEach(consumer -> names
                .add(clientNames.get(consumer.path("channel_details").path("connection_name").asText())));
        return names;
    }

    @AfterEach
    void closeTestVhostConnection() throws Exception {
        connection.close();
    }
}
