package com.vivesphere.mq.logconsumer;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link DatabaseOutageIT} with the log channels on the smallrye-rabbitmq connector. */
@QuarkusTest
@TestProfile(SmallRyeRabbitMQConnector.class)
class DatabaseOutageOnSmallRyeRabbitMQIT extends DatabaseOutageIT {
}
