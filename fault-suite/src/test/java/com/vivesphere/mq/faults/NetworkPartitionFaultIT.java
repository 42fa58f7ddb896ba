package com.vivesphere.mq.faults;

import static com.vivesphere.mq.faults.support.MixedTraffic.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.emptyString;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.vivesphere.mq.common.topology.Topology;
import com.vivesphere.mq.faults.support.BrokerNode;
import com.vivesphere.mq.faults.support.ClusterWorkers;
import com.vivesphere.mq.faults.support.DeliveryOutcome;
import com.vivesphere.mq.faults.support.Figures;
import com.vivesphere.mq.faults.support.HealthWatch;
import com.vivesphere.mq.faults.support.NetworkNamespaces;
import com.vivesphere.mq.faults.support.ReliablePublisher;
import com.vivesphere.mq.faults.support.Sandbox;
import com.vivesphere.mq.testing.PackagedApp;
import com.vivesphere.mq.testing.XApiStub;

/**
 * Scenario 15: the three-node cluster of scenario 8, each node in a network namespace of the test's own; the node
 * leading the work queues is cut off the network (from the other nodes and from the workers and producer) for
 * a minute under load, then the network heals. Nothing confirmed is lost, nothing is done twice, the majority
 * elects new leaders and the workers carry on there; the cut-off node pauses (pause_minority) and rejoins.
 */
class NetworkPartitionFaultIT {

    private static final Duration START = Duration.ofSeconds(120);
    private static final Duration PARTITION = Duration.ofSeconds(60);
    /**
     * pause_minority: the cut-off node stops serving rather than going on alone (quorum queues need no more: Raft
     * leaves a minority leader unable to commit). A 10 s tick time lets the nodes see the partition within the
     * minute (the default, 60 s, would see it only 45 to 75 s after the cut).
     */
    private static final String PARTITION_HANDLING = """
            cluster_partition_handling = pause_minority
            net_ticktime = 10
            """;

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void cuttingTheLeadersNodeOffTheNetworkLosesNothing() throws Exception {
        String scenario = "partition-" + UUID.randomUUID().toString().substring(0, 6);
        Path logs = Figures.output().resolve("partition");
        try (NetworkNamespaces network = NetworkNamespaces.create(3)) {
            List<BrokerNode> nodes = BrokerNode.cluster("partition", network.namespaces(), PARTITION_HANDLING);
            try (Sandbox sandbox = Sandbox.on(nodes); XApiStub x = new XApiStub(Duration.ofMillis(20))) {
                ClusterWorkers.run(sandbox, x, logs, START,
                        (logConsumer, botWorker) -> run(scenario, network, nodes, sandbox, x, logConsumer, botWorker));
            } finally {
                nodes.forEach(BrokerNode::close);
            }
        }
    }

    private static void run(String scenario, NetworkNamespaces network, List<BrokerNode> nodes, Sandbox sandbox, XApiStub x,
            PackagedApp logConsumer, PackagedApp botWorker) throws Exception {
        BrokerNode leader = BrokerNode.leaderOf(nodes, nodes.get(0), Topology.LOG_QUEUE);
        assertThat(BrokerNode.leaderOf(nodes, nodes.get(0), Topology.BOT_ACTION_QUEUE)).as("bot_action_queue's leader")
                .isEqualTo(leader);
        BrokerNode survivor = nodes.stream().filter(n -> n != leader).findFirst().orElseThrow();
        String connections = leader.ctl("list_connections", "--silent", "pid", "client_properties");
        List<String> cut = List.of("log-consumer", "bot-action-worker", "fault-suite-reliable-publisher").stream()
                .filter(client -> connections.lines().anyMatch(l -> l.startsWith("<" + leader.name() + ".")
                        && l.contains("{\"connection_name\",\"" + client + "\"}")))
                .toList();
        assertThat(cut).as("clients connected to the leader's node").contains("log-consumer");

        try (HealthWatch consumerHealth = new HealthWatch(logConsumer); HealthWatch botHealth = new HealthWatch(botWorker);
                ReliablePublisher publisher = new ReliablePublisher(sandbox, 400, i -> message(scenario, i))) {
            String where = "service = '" + scenario + "'";
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                    .until(() -> sandbox.rows("log_events", where) >= 1_000);

            long cutAt = System.nanoTime();
            network.isolate(leader.namespace());
            // the heal comes after the minute whatever the measurements below are waiting for
            CompletableFuture<Long> healed = CompletableFuture.supplyAsync(() -> {
                network.heal(leader.namespace());
                return System.nanoTime();
            }, CompletableFuture.delayedExecutor(PARTITION.toMillis(), TimeUnit.MILLISECONDS));
            // the survivors' tools may wait on the cut-off node until they see it gone: a failed call is asked again
            await().atMost(PARTITION).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> !BrokerNode.leaderOf(nodes, survivor, Topology.LOG_QUEUE).equals(leader)
                            && !BrokerNode.leaderOf(nodes, survivor, Topology.BOT_ACTION_QUEUE).equals(leader));
            double election = since(cutAt);
            long storedAtCut = sandbox.rows("log_events", where);
            long postedAtCut = x.postsCreated();
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                    .until(() -> sandbox.rows("log_events", where) > storedAtCut + 1_000 && x.postsCreated() > postedAtCut + 20);
            double resumed = since(cutAt);
            boolean resumedBeforeHeal = !healed.isDone();

            long healAt = healed.get(2, TimeUnit.MINUTES);
            // a timeout names what was still missing
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .until(() -> notRejoined(nodes, leader, survivor), emptyString());
            double rejoined = since(healAt);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> logConsumer.status("/q/health/ready") == 200 && botWorker.status("/q/health/ready") == 200);
            publisher.finish(Duration.ofMinutes(1));

            DeliveryOutcome outcome = DeliveryOutcome.verify(scenario, publisher, sandbox, x, Set.of(), Set.of(), logConsumer,
                    botWorker);
            assertThat(consumerHealth.between(cutAt, System.nanoTime())).allSatisfy(s -> assertThat(s.live()).isEqualTo(200));
            assertThat(botHealth.between(cutAt, System.nanoTime())).allSatisfy(s -> assertThat(s.live()).isEqualTo(200));
            assertThat(logConsumer.isAlive() && botWorker.isAlive()).isTrue();

            String label = "15 partition, leader cut off";
            Figures.record(label, "new leaders / consumption resumed, after the cut (before the heal)",
                    Figures.seconds(election) + " / " + Figures.seconds(resumed) + " (" + resumedBeforeHeal + ")");
            Figures.record(label, "partition / all 3 members online again after healing",
                    Figures.seconds((healAt - cutAt) / 1e9) + " / " + Figures.seconds(rejoined));
            Figures.record(label, "clients connected to the cut-off node", cut);
            Figures.record(label, "producer: longest wait for confirms / errors", Figures.seconds(publisher.longestWait().toMillis() / 1e3)
                    + " / " + publisher.errors());
            outcome.record(label, publisher);
        }
    }

    /** What keeps the cut-off node from counting as back: empty once it runs, no partition is seen, all members are online. */
    private static String notRejoined(List<BrokerNode> nodes, BrokerNode cutOff, BrokerNode survivor) {
        List<String> missing = new ArrayList<>();
        try {
            if (!running(cutOff)) {
                missing.add(cutOff.name() + " not running");
            }
            String partitions = partitions(survivor);
            if (!partitions.equals("[]")) {
                missing.add("partitions seen by " + survivor.name() + ": " + partitions);
            }
            for (String queue : List.of(Topology.LOG_QUEUE, Topology.BOT_ACTION_QUEUE)) {
                if (!online(nodes, survivor, queue)) {
                    missing.add(queue + " not online on every node");
                }
            }
        } catch (RuntimeException e) {
            // the survivors' tools may still wait on the node that was cut off
            missing.add(e.toString());
        }
        return String.join("; ", missing);
    }

    /** Whether every node is an online member of {@code queue}, as {@code asking} sees it. */
    private static boolean online(List<BrokerNode> nodes, BrokerNode asking, String queue) {
        String row = BrokerNode.row(asking.ctl("list_queues", "--silent", "name", "online"), queue);
        return nodes.stream().allMatch(n -> row.contains(n.name()));
    }

    /** Whether the node's RabbitMQ application runs (pause_minority stops it while the node is in a minority). */
    private static boolean running(BrokerNode node) {
        return node.ctl("eval", "rabbit:is_running().").trim().equals("true");
    }

    /** The nodes {@code node} has seen on the other side of a partition, as Erlang prints the list. */
    private static String partitions(BrokerNode node) {
        return node.ctl("eval", "rabbit_node_monitor:partitions().").trim();
    }

    private static double since(long nanos) {
        return (System.nanoTime() - nanos) / 1e9;
    }
}
