package com.vivesphere.mq.logconsumer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.vivesphere.mq.testing.OnTestVhost;
import com.vivesphere.mq.testing.SampleMessages;
import com.vivesphere.mq.testing.TestBrokerAndDatabaseResource;
import com.vivesphere.mq.common.topology.Topology;
import com.vivesphere.mq.logconsumer.listener.Channels;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The broker drops the connection that consumes log_queue: it is recovered by itself and consumes again. */
@QuarkusTest
@WithTestResource(TestBrokerAndDatabaseResource.class)
class BrokerConnectionLossIT extends OnTestVhost {

    @Test
    void recoversItsConnectionAndConsumesAgain() throws Exception {
        // The management API lists a new connection a few seconds after it opened.
        List<String> before = await().atMost(Duration.ofSeconds(30)).until(this::appConnections, c -> c.size() == 1);

        admin.closeConnection(before.get(0));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(appConnections()).hasSize(1)
                .doesNotContainAnyElementsOf(before));
        UUID id = UUID.randomUUID();
        LogTraffic.publish(connection, "info.recovery", List.of(SampleMessages.logEvent(id, "INFO", "after the cut")
                .replace("test-service", "recovery")));
        await().atMost(Duration.ofSeconds(30)).until(() -> LogTraffic.rows("id = '" + id + "'") == 1);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(
                () -> assertThat(admin.queue(vhost, Topology.LOG_QUEUE).path("messages").asLong(-1)).isZero());
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    /** The name of the connection that consumes {@code channel}: the application's own one, named after it. */
    protected String consumerConnection(String channel) {
        return "log-consumer";
    }

    /** The connections that consume log_queue, by the name the connector gives them. */
    private List<String> appConnections() {
        String name = consumerConnection(Channels.LOG_EVENTS);
        return admin.connections(vhost).entrySet().stream().filter(c -> c.getValue().equals(name))
                .map(java.util.Map.Entry::getKey).toList();
    }
}
