package com.vivesphere.mq.botworker;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link XExecutionIT} with the action channel on the smallrye-rabbitmq connector. */
@QuarkusTest
@TestProfile(SmallRyeRabbitMQConnector.class)
class XExecutionOnSmallRyeRabbitMQIT extends XExecutionIT {
}
