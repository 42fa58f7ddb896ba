package com.vivesphere.mq.botworker;

import com.vivesphere.mq.testing.SmallRyeRabbitMQ;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link BotActionWorkerIT} with the action channel on the smallrye-rabbitmq connector. */
@QuarkusTest
@TestProfile(SmallRyeRabbitMQConnector.class)
class BotActionWorkerOnSmallRyeRabbitMQIT extends BotActionWorkerIT {

    @Override
    protected String consumerConnection(String channel) {
        return SmallRyeRabbitMQ.consumerConnection(channel);
    }
}
