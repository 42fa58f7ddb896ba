package com.vivesphere.mq.logconsumer;

import com.vivesphere.mq.testing.SmallRyeRabbitMQ;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link LogConsumerIT} with the log channels on the smallrye-rabbitmq connector. */
@QuarkusTest
@TestProfile(SmallRyeRabbitMQConnector.class)
class LogConsumerOnSmallRyeRabbitMQIT extends LogConsumerIT {

    @Override
    protected String consumerConnection(String channel) {
        return SmallRyeRabbitMQ.consumerConnection(channel);
    }
}
