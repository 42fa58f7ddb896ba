package com.vivesphere.mq.botworker;

import java.util.Map;

import com.vivesphere.mq.botworker.listener.Channels;
import com.vivesphere.mq.testing.SmallRyeRabbitMQ;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The action channel on the Quarkus RabbitMQ extension's connector instead of the default, as a user switches
 * it: the connector alone (the default prefetch is within what that connector can take). The
 * {@code *OnSmallRyeRabbitMQIT} classes run their parent's tests with it.
 */
public class SmallRyeRabbitMQConnector implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("mp.messaging.incoming." + Channels.BOT_ACTIONS + ".connector", SmallRyeRabbitMQ.CONNECTOR);
    }
}
