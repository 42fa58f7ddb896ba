package com.vivesphere.mq.logconsumer;

import com.vivesphere.mq.testing.SmallRyeRabbitMQ;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link BrokerConnectionLossIT} with the log channels on the smallrye-rabbitmq connector. */
@QuarkusTest
@TestProfile(SmallRyeRabbitMQConnector.class)
class BrokerConnectionLossOnSmallRyeRabbitMQIT extends BrokerConnectionLossIT {

    @Override
    protected String consumerConnection(String channel) {
        return SmallRyeRabbitMQ.consumerConnection(channel);
    }
}
