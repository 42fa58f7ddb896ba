package com.vivesphere.mq.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.vivesphere.mq.common.topology.Topology;
import com.vivesphere.mq.faults.support.BrokerNode;
import com.vivesphere.mq.faults.support.Figures;
import com.vivesphere.mq.faults.support.MixedTraffic;
import com.vivesphere.mq.faults.support.ReliablePublisher;
import com.vivesphere.mq.faults.support.Sandbox;
import com.vivesphere.mq.faults.support.Traffic;
import com.vivesphere.mq.testing.PackagedApp;

/**
 * Scenario 10: {@code log_queue} as three shards on a three-node cluster. Their leaders go to three different
 * nodes; the node leading one shard is stopped under load: every confirmed event is stored exactly once.
 */
class ShardedClusterFaultIT {

    private static final Duration START = Duration.ofSeconds(120);
    private static final int SHARDS = 3;
    /** Producers that put their instance in the routing key ({@code info.<service>.<pod>}) spread one service too. */
    private static final int PODS = 16;

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void shardLeadersSpreadOverTheNodesAndStoppingOneLosesNothing() throws Exception {
        String scenario = "shards-" + UUID.randomUUID().toString().substring(0, 6);
        Path logs = Figures.output().resolve("sharded-cluster");
        List<BrokerNode> nodes = BrokerNode.cluster("shards", 3);
        List<String> shards = Topology.logQueues(SHARDS);
        try (Sandbox sandbox = Sandbox.on(nodes)) {
            Map<String, String> env = new LinkedHashMap<>(sandbox.env());
            // Consuming several queues on one channel is this connector's, whatever -Dfaults.connector says.
            env.putAll(PackagedApp.App.LOG_CONSUMER.connectorEnvironment(PackagedApp.CLIENT_CONNECTOR));
            env.put("VIVESPHERE_TOPOLOGY_LOG_SHARDS", String.valueOf(SHARDS));
            try (PackagedApp logConsumer = PackagedApp.start(PackagedApp.App.LOG_CONSUMER, env, logs.resolve("log-consumer.log"))) {
                logConsumer.awaitReady(START);
                Map<String, BrokerNode> leaders = new LinkedHashMap<>();
                shards.forEach(shard -> leaders.put(shard, BrokerNode.leaderOf(nodes, nodes.get(0), shard)));
                assertThat(new HashSet<>(leaders.values())).as("nodes leading the shards %s", leaders).hasSize(SHARDS);
                // basic.consume-ok came before readiness, but a quorum queue's consumer count is applied through its
                // log, so list_queues can lag behind it for a moment.
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    String consumers = nodes.get(0).ctl("list_queues", "--silent", "name", "consumers");
                    shards.forEach(shard -> assertThat(BrokerNode.row(consumers, shard)).as("consumers of " + shard).endsWith("\t1"));
                });

                try (ReliablePublisher publisher = new ReliablePublisher(sandbox, 600, i -> event(scenario, i))) {
                    String where = "service = '" + scenario + "'";
                    await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                            .until(() -> sandbox.rows("log_events", where) >= 1_000);
                    BrokerNode stopped = leaders.get(shards.get(0));
                    long stopping = System.nanoTime();
                    stopped.stop();
                    BrokerNode survivor = nodes.stream().filter(n -> n != stopped).findFirst().orElseThrow();
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                            .until(() -> !BrokerNode.leaderOf(nodes, survivor, shards.get(0)).equals(stopped));
                    double election = (System.nanoTime() - stopping) / 1e9;
                    long storedAtStop = sandbox.rows("log_events", where);
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                            .until(() -> sandbox.rows("log_events", where) > storedAtStop + 1_000);
                    double resumed = (System.nanoTime() - stopping) / 1e9;
                    publisher.finish(Duration.ofMinutes(1));

                    Set<String> confirmed = new HashSet<>();
                    publisher.confirmed().forEach(i -> confirmed.add(MixedTraffic.id(scenario, i).toString()));
                    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                            .until(() -> sandbox.rows("log_events", where) >= confirmed.size()
                                    && sandbox.ready(shards.toArray(String[]::new)) == 0 && logConsumer.unsettled() == 0);
                    Set<String> stored = new HashSet<>(sandbox.column("SELECT id::text FROM log_events WHERE " + where));
                    long rows = sandbox.rows("log_events", where);
                    long lost = confirmed.stream().filter(id -> !stored.contains(id)).count();

                    assertThat(publisher.generated()).isEqualTo(confirmed.size());
                    assertThat(lost).as("events lost").isZero();
                    assertThat(rows).as("rows (an event stored twice would be two)").isEqualTo(confirmed.size());
                    assertThat(sandbox.ready(Topology.DEAD_LETTER_QUEUE)).as("dead letters").isZero();
                    assertThat(logConsumer.isAlive()).isTrue();

                    String figures = "10 sharded log_queue (3 shards), a shard's leader stopped";
                    Figures.record(figures, "shard leaders on distinct nodes", String.valueOf(new HashSet<>(leaders.values()).size()));
                    Figures.record(figures, "new leader elected / consumption resumed, after the stop",
                            Figures.seconds(election) + " / " + Figures.seconds(resumed));
                    Figures.record(figures, "events confirmed / stored / lost / duplicates",
                            confirmed.size() + " / " + rows + " / " + lost + " / " + (rows - stored.size()));
                    Figures.record(figures, "producer: reconnects / messages published again",
                            publisher.reconnects() + " / " + publisher.republished());
                }
            }
        } finally {
            nodes.forEach(BrokerNode::close);
        }
    }

    private static Traffic.Outgoing event(String scenario, int i) {
        Traffic.Outgoing event = Traffic.logEvent(MixedTraffic.id(scenario, i), scenario);
        return new Traffic.Outgoing(event.exchange(), event.routingKey() + ".pod-" + i % PODS, event.properties(), event.body());
    }
}
