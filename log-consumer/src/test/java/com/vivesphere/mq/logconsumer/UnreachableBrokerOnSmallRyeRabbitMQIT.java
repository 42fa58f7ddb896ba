package com.vivesphere.mq.logconsumer;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link UnreachableBrokerIT} with the log channels on the smallrye-rabbitmq connector. */
@QuarkusTest
@TestProfile(UnreachableBrokerOnSmallRyeRabbitMQIT.ClosedPortOnSmallRye.class)
class UnreachableBrokerOnSmallRyeRabbitMQIT extends UnreachableBrokerIT {

    public static class ClosedPortOnSmallRye extends ClosedPort {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.putAll(new SmallRyeRabbitMQConnector().getConfigOverrides());
            return config;
        }
    }
}
