package com.vivesphere.mq.logconsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.vivesphere.mq.common.failure.FailureHeaders;
import com.vivesphere.mq.common.topology.Topology;
import com.vivesphere.mq.testing.DeadLetters;
import com.vivesphere.mq.testing.OnTestVhost;
import com.vivesphere.mq.testing.SampleMessages;
import com.vivesphere.mq.testing.TestBrokerAndDatabaseResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** log_queue as three shards: producers unchanged, every shard consumed, every event stored once. */
@QuarkusTest
@TestProfile(ShardedLogQueueIT.ThreeShards.class)
@WithTestResource(TestBrokerAndDatabaseResource.class)
class ShardedLogQueueIT extends OnTestVhost {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<String> SHARDS = Topology.logQueues(3);

    public static class ThreeShards implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("vivesphere.topology.log-shards", "3");
        }
    }

    @Test
    void eventsOfManyServicesSpreadOverTheShardsAndAreEachStoredOnce() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            events.add(SampleMessages.logEvent(UUID.randomUUID(), "INFO", "event " + i).replace("test-service", run + "-" + i % 30));
        }
        try (Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            for (int i = 0; i < events.size(); i++) {
                // As producers publish today: <level>.<service>, to the logs exchange.
                channel.basicPublish(Topology.LOG_EXCHANGE, "info." + run + "-" + i % 30, true, persistent(),
                        events.get(i).getBytes(StandardCharsets.UTF_8));
            }
            channel.waitForConfirmsOrDie(30_000);
        }

        await().atMost(WAIT).until(() -> LogTraffic.rows("service LIKE '" + run + "-%'") == 600);
        for (String shard : SHARDS) {
            // The management API lists consumers and message rates a few seconds late.
            await().atMost(WAIT).untilAsserted(() -> assertThat(admin.queue(vhost, shard).path("consumers").asInt())
                    .as("consumers of " + shard).isEqualTo(1));
            await().atMost(WAIT).untilAsserted(() -> assertThat(admin.queue(vhost, shard).path("message_stats")
                    .path("ack").asLong()).as("events acked from " + shard).isPositive());
        }
        assertThatThrownBy(() -> admin.queue(vhost, Topology.LOG_QUEUE)).as("no unsharded log_queue").hasMessageContaining("404");
        assertThat(DeadLetters.ready(connection, Topology.DEAD_LETTER_QUEUE)).isZero();
    }

    @Test
    void aBadEventIsDeadLetteredNamingItsShard() throws Exception {
        try (Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            channel.basicPublish(Topology.LOG_EXCHANGE, "warn.sharded-bad", true, persistent(),
                    "{not json".getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(30_000);
        }

        DeadLetters.Letter letter = await().atMost(WAIT)
                .until(() -> DeadLetters.take(connection, Topology.DEAD_LETTER_QUEUE), Optional::isPresent).get();
        assertThat(letter.headers()).containsEntry(FailureHeaders.REASON, "malformed-json");
        assertThat(SHARDS).contains(String.valueOf(letter.headers().get(FailureHeaders.ORIGINAL_QUEUE)));
    }

    private static AMQP.BasicProperties persistent() {
        return new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2).build();
    }
}
