package com.vivesphere.mq.logconsumer;

import java.util.Map;

import com.vivesphere.mq.testing.SmallRyeRabbitMQ;
import com.vivesphere.mq.logconsumer.listener.Channels;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Both log channels on the Quarkus RabbitMQ extension's connector instead of the default, as a user switches
 * them: the connector, and a prefetch that connector can take (SmallRyeChannelGuard). The
 * {@code *OnSmallRyeRabbitMQIT} classes run their parent's tests with it.
 */
public class SmallRyeRabbitMQConnector implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("mp.messaging.incoming." + Channels.LOG_EVENTS + ".connector", SmallRyeRabbitMQ.CONNECTOR,
                "mp.messaging.incoming." + Channels.URGENT_LOG_EVENTS + ".connector", SmallRyeRabbitMQ.CONNECTOR,
                "LOG_CONSUMER_PREFETCH", "256");
    }
}
