package com.vivesphere.mq.faults;

import static com.vivesphere.mq.faults.support.MixedTraffic.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.vivesphere.mq.common.topology.Topology;
import com.vivesphere.mq.faults.support.BrokerNode;
import com.vivesphere.mq.faults.support.ClusterWorkers;
import com.vivesphere.mq.faults.support.DeliveryOutcome;
import com.vivesphere.mq.faults.support.Figures;
import com.vivesphere.mq.faults.support.HealthWatch;
import com.vivesphere.mq.faults.support.ReliablePublisher;
import com.vivesphere.mq.faults.support.Sandbox;
import com.vivesphere.mq.testing.PackagedApp;
import com.vivesphere.mq.testing.XApiStub;

/**
 * Scenario 8: a three-node RabbitMQ cluster on loopback (nodes of the test's own), quorum queues with a
 * replica on each node, workers given the address list. The node that leads the work queues is stopped
 * under load: nothing is lost, nothing is done twice, the workers carry on.
 */
class ClusterFaultIT {

    private static final Duration START = Duration.ofSeconds(120);

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void stoppingTheLeaderOfTheQueuesLosesNothing() throws Exception {
        String scenario = "cluster-" + UUID.randomUUID().toString().substring(0, 6);
        Path logs = Figures.output().resolve("cluster");
        List<BrokerNode> nodes = BrokerNode.cluster("cluster", 3);
        try (Sandbox sandbox = Sandbox.on(nodes); XApiStub x = new XApiStub(Duration.ofMillis(20))) {
            // stopping the queues' leader also cuts log-consumer's connection
            ClusterWorkers.run(sandbox, x, logs, START, (logConsumer, botWorker) -> run(scenario, nodes, sandbox, x, logConsumer, botWorker));
        } finally {
            nodes.forEach(BrokerNode::close);
        }
    }

    private static void run(String scenario, List<BrokerNode> nodes, Sandbox sandbox, XApiStub x, PackagedApp logConsumer,
            PackagedApp botWorker) {
        String members = nodes.get(0).ctl("list_queues", "--silent", "name", "members");
        assertThat(BrokerNode.row(members, Topology.LOG_QUEUE)).as("log_queue replicas").contains(nodes.get(0).name(),
                nodes.get(1).name(), nodes.get(2).name());
        assertThat(BrokerNode.row(members, Topology.BOT_ACTION_QUEUE)).as("bot_action_queue replicas")
                .contains(nodes.get(0).name(), nodes.get(1).name(), nodes.get(2).name());
        BrokerNode leader = BrokerNode.leaderOf(nodes, nodes.get(0), Topology.LOG_QUEUE);
        String connections = nodes.get(0).ctl("list_connections", "--silent", "pid", "client_properties");
        List<String> cut = List.of("log-consumer", "bot-action-worker").stream().filter(app -> connections.lines()
                .anyMatch(l -> l.startsWith("<" + leader.name() + ".") && l.contains("{\"connection_name\",\"" + app + "\"}"))).toList();
        assertThat(cut).as("workers connected to the leader's node").contains("log-consumer");

        try (HealthWatch consumerHealth = new HealthWatch(logConsumer); HealthWatch botHealth = new HealthWatch(botWorker);
                ReliablePublisher publisher = new ReliablePublisher(sandbox, 400, i -> message(scenario, i))) {
            String where = "service = '" + scenario + "'";
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                    .until(() -> sandbox.rows("log_events", where) >= 1_000);

            long stopping = System.nanoTime();
            leader.stop();
            BrokerNode survivor = nodes.stream().filter(n -> n != leader).findFirst().orElseThrow();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> !BrokerNode.leaderOf(nodes, survivor, Topology.LOG_QUEUE).equals(leader)
                            && !BrokerNode.leaderOf(nodes, survivor, Topology.BOT_ACTION_QUEUE).equals(leader));
            double election = (System.nanoTime() - stopping) / 1e9;
            // The workers go on: events published after the stop are stored, actions posted.
            long storedAtStop = sandbox.rows("log_events", where);
            long postedAtStop = x.postsCreated();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> sandbox.rows("log_events", where) > storedAtStop + 1_000 && x.postsCreated() > postedAtStop + 20);
            double resumed = (System.nanoTime() - stopping) / 1e9;
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> logConsumer.status("/q/health/ready") == 200 && botWorker.status("/q/health/ready") == 200);
            publisher.finish(Duration.ofMinutes(1));

            DeliveryOutcome outcome = DeliveryOutcome.verify(scenario, publisher, sandbox, x, Set.of(), Set.of(), logConsumer,
                    botWorker);
            assertThat(consumerHealth.between(stopping, System.nanoTime())).allSatisfy(s -> assertThat(s.live()).isEqualTo(200));
            assertThat(botHealth.between(stopping, System.nanoTime())).allSatisfy(s -> assertThat(s.live()).isEqualTo(200));
            assertThat(logConsumer.isAlive() && botWorker.isAlive()).isTrue();
            long notReady = consumerHealth.between(stopping, System.nanoTime()).stream().filter(s -> s.ready() != 200).count()
                    + botHealth.between(stopping, System.nanoTime()).stream().filter(s -> s.ready() != 200).count();

            Figures.record("8 cluster, leader stopped", "new leaders elected / consumption resumed, after the stop",
                    Figures.seconds(election) + " / " + Figures.seconds(resumed));
            Figures.record("8 cluster, leader stopped", "workers connected to the stopped node / health samples not ready",
                    cut + " / " + notReady + " of 100 ms");
            outcome.record("8 cluster, leader stopped", publisher);
        }
    }
}
