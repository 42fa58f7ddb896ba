package com.vivesphere.mq.logconsumer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** With neither broker nor database at the configured addresses the app still starts: not ready, but alive. */
@QuarkusTest
@TestProfile(UnreachableBrokerIT.ClosedPort.class)
class UnreachableBrokerIT {

    public static class ClosedPort implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("rabbitmq-port", String.valueOf(closedPort()),
                    "quarkus.datasource.reactive.url", "postgresql://localhost:" + closedPort() + "/nowhere");
        }

        private static int closedPort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void notReadyButAlive() {
        given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"))
                .body(containsString("topology not declared"))
                .body(containsString("schema not migrated"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }
}
