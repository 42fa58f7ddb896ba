package com.vivesphere.mq.faults;

import static com.vivesphere.mq.faults.support.MixedTraffic.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.vivesphere.mq.common.topology.Topology;
import com.vivesphere.mq.faults.support.DeliveryOutcome;
import com.vivesphere.mq.faults.support.Figures;
import com.vivesphere.mq.faults.support.HealthWatch;
import com.vivesphere.mq.faults.support.MixedTraffic;
import com.vivesphere.mq.faults.support.ReliablePublisher;
import com.vivesphere.mq.faults.support.Traffic;
import com.vivesphere.mq.testing.TcpProxy;
import com.vivesphere.mq.testing.XApiStub;

/**
 * Scenario 13: a slow and unreliable network between the workers and the broker (a {@link TcpProxy} in between;
 * producers publish directly). A backlog drained without delay and then with 50 ms each way gives the throughput
 * the latency costs; then the link stalls for 3, 4 and 5 s under load, shorter than the heartbeat timeout: the
 * connections survive, flow resumes, and every confirmed message is stored or posted exactly once.
 */
class NetworkLatencyFaultIT extends BrokerOutageScenario {

    private static final String SCENARIO = "13 latency and stalls";
    private static final Duration ONE_WAY = Duration.ofMillis(50);
    private static final List<Duration> STALLS = List.of(Duration.ofSeconds(3), Duration.ofSeconds(4), Duration.ofSeconds(5));
    /** The backlog each measured drain is timed on: events, and post actions beside them. */
    private static final int DRAIN_EVENTS = 6_000;
    private static final int DRAIN_ACTIONS = 100;

    private TcpProxy proxy;

    NetworkLatencyFaultIT() {
        super("network-latency");
    }

    @Override
    protected Map<String, String> workerEnvironment() {
        proxy = new TcpProxy("localhost", node.port()).start();
        Map<String, String> env = new HashMap<>(sandbox.env());
        env.put("RABBITMQ_PORT", String.valueOf(proxy.port()));
        return env;
    }

    @Override
    @AfterAll
    void stop() {
        super.stop();
        proxy.close();
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void latencyAndStallsLoseNothing() throws Exception {
        String scenario = "latency-" + UUID.randomUUID().toString().substring(0, 6);
        String where = "service = '" + scenario + "'";
        try (HealthWatch consumerHealth = new HealthWatch(logConsumer); HealthWatch botHealth = new HealthWatch(botWorker);
                ReliablePublisher publisher = new ReliablePublisher(sandbox, 200, i -> message(scenario, i));
                Connection probe = sandbox.connectionFactory().newConnection(List.of(new Address("localhost", proxy.port())),
                        "fault-suite-probe");
                Channel probing = probe.createChannel()) {
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100)).until(() -> sandbox.rows("log_events", where) >= 200);

            // the workers' first backlog runs cold (JIT): a first drain warms them up, so that both measured ones run warm
            Drain warmUp = drain(scenario, "warm-up", DRAIN_EVENTS / 2, DRAIN_ACTIONS / 2);
            Drain direct = drain(scenario, "0ms", DRAIN_EVENTS, DRAIN_ACTIONS);
            double directRoundTrip = roundTrip(probing);
            proxy.delay(ONE_WAY);
            double delayedRoundTrip = roundTrip(probing);
            Drain delayed = drain(scenario, "50ms", DRAIN_EVENTS, DRAIN_ACTIONS);

            String connectionsBefore = workerConnections();
            List<String> stalls = new ArrayList<>();
            List<long[]> stalledPeriods = new ArrayList<>();
            for (Duration stall : STALLS) {
                long rows = sandbox.rows("log_events", where);
                long posts = x.postsCreated();
                long start = System.nanoTime();
                proxy.stall(stall);
                // the probe's question waits out the stall: it proves the link held, and is the test's wait
                double held = roundTrip(probing);
                long released = System.nanoTime();
                stalledPeriods.add(new long[] { start, released });
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                        .until(() -> sandbox.rows("log_events", where) > rows && x.postsCreated() > posts);
                double resumed = (System.nanoTime() - released) / 1e9;
                assertThat(held).as("probe answered after a stall of " + stall).isGreaterThanOrEqualTo(stall.toMillis() / 1e3 - 0.05);
                stalls.add(Figures.seconds(held) + " held, flowing " + Figures.seconds(resumed) + " after");
            }
            String connectionsAfter = workerConnections();
            publisher.finish(Duration.ofMinutes(1));

            List<Drain> drains = List.of(warmUp, direct, delayed);
            Set<String> drainedPosts = new HashSet<>();
            drains.forEach(drain -> drainedPosts.addAll(drain.texts()));
            DeliveryOutcome outcome = DeliveryOutcome.verify(scenario, publisher, sandbox, x, Set.of(), drainedPosts, logConsumer,
                    botWorker);
            for (Drain drain : drains) {
                assertThat(sandbox.rows("log_events", "service = '" + drain.service() + "'")).as("drained events stored")
                        .isEqualTo(drain.events());
                assertThat(sandbox.count("SELECT count(DISTINCT id) FROM log_events WHERE service = '" + drain.service() + "'"))
                        .as("distinct drained events stored").isEqualTo(drain.events());
            }
            assertThat(delayedRoundTrip).as("round trip through the proxy with the delay")
                    .isGreaterThanOrEqualTo(2 * ONE_WAY.toMillis() / 1e3);
            // The prefetch pipelines the deliveries: one message per round trip at a time would be all the latency allowed.
            assertThat(delayed.eventsPerSecond()).as("events stored per second with 50 ms each way")
                    .isGreaterThan(20 / delayedRoundTrip);
            assertThat(delayed.actionsPerSecond()).as("actions posted per second with 50 ms each way")
                    .isGreaterThan(2 / delayedRoundTrip);
            assertThat(connectionsBefore.split("\n")).as("worker connections through the proxy").hasSize(2);
            assertThat(connectionsAfter).as("worker connections after the stalls (none dropped by a heartbeat timeout)")
                    .isEqualTo(connectionsBefore);
            for (HealthWatch health : List.of(consumerHealth, botHealth)) {
                assertThat(stalledPeriods).as("health samples in each stall")
                        .allSatisfy(p -> assertThat(health.between(p[0], p[1])).isNotEmpty());
                assertThat(health.samples()).as("liveness all along").allSatisfy(s -> assertThat(s.live()).isEqualTo(200));
                // a stall shorter than the heartbeat timeout leaves the connection open: nothing tells it from a quiet link
                assertThat(notReady(health, stalledPeriods)).as("readiness samples not 200 in the stalls").isZero();
            }

            Figures.record(SCENARIO, "round trip through the proxy: direct / 50 ms each way",
                    millis(directRoundTrip) + " / " + millis(delayedRoundTrip));
            Figures.record(SCENARIO, "drain of " + DRAIN_EVENTS + " events: events/s direct / 50 ms",
                    rate(direct.eventsPerSecond()) + " / " + rate(delayed.eventsPerSecond()));
            Figures.record(SCENARIO, "drain of " + DRAIN_ACTIONS + " actions: posted/s direct / 50 ms",
                    rate(direct.actionsPerSecond()) + " / " + rate(delayed.actionsPerSecond()));
            Figures.record(SCENARIO, "stalls " + STALLS.stream().map(d -> d.toSeconds() + " s").toList(), String.join("; ", stalls));
            Figures.record(SCENARIO, "readiness samples not 200 in the stalls: log-consumer / bot-action-worker",
                    notReady(consumerHealth, stalledPeriods) + " / " + notReady(botHealth, stalledPeriods) + " of "
                            + stalledPeriods.stream().mapToLong(p -> consumerHealth.between(p[0], p[1]).size()).sum());
            Figures.record(SCENARIO, "worker connections kept through the stalls", connectionsAfter.equals(connectionsBefore));
            outcome.record(SCENARIO, publisher);
        }
    }

    /** A backlog that waited in the queues, and how fast the workers got through it once the link was open. */
    private record Drain(String service, int events, Set<String> texts, double eventsSeconds, double actionsSeconds) {

        double eventsPerSecond() {
            return events / eventsSeconds;
        }

        double actionsPerSecond() {
            return texts.size() / actionsSeconds;
        }
    }

    /**
     * Publishes a backlog while the link is stalled (the workers see none of it), opens the link and times
     * until every event is stored and every action posted.
     */
    private Drain drain(String scenario, String label, int events, int actions) {
        String service = scenario + "-drain-" + label;
        Set<String> texts = new HashSet<>();
        List<Traffic.Outgoing> messages = new ArrayList<>();
        for (int i = 0; i < actions; i++) {
            String text = MixedTraffic.text(service, i);
            texts.add(text);
            messages.add(Traffic.botAction(MixedTraffic.id(service + "-action", i), "bot-" + (i % XApiStub.BOTS + 1), "POST",
                    "\"text\":\"" + text + "\""));
        }
        for (int i = 0; i < events; i++) {
            messages.add(Traffic.logEvent(MixedTraffic.id(service, i), service));
        }
        proxy.stall(Duration.ofMinutes(1));
        try (Connection producer = sandbox.connect("fault-drain")) {
            Traffic.publish(producer, messages);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            proxy.stall(Duration.ZERO);
        }
        long released = System.nanoTime();
        AtomicLong eventsDone = new AtomicLong();
        AtomicLong actionsDone = new AtomicLong();
        String where = "service = '" + service + "'";
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50)).until(() -> {
            if (eventsDone.get() == 0 && sandbox.rows("log_events", where) >= events) {
                eventsDone.set(System.nanoTime());
            }
            if (actionsDone.get() == 0 && texts.stream().allMatch(t -> x.created(t) > 0)) {
                actionsDone.set(System.nanoTime());
            }
            return eventsDone.get() > 0 && actionsDone.get() > 0;
        });
        return new Drain(service, events, texts, (eventsDone.get() - released) / 1e9, (actionsDone.get() - released) / 1e9);
    }

    /** Seconds a question to the broker through the proxy takes to be answered. */
    private static double roundTrip(Channel channel) throws IOException {
        long start = System.nanoTime();
        channel.queueDeclarePassive(Topology.LOG_QUEUE);
        return (System.nanoTime() - start) / 1e9;
    }

    /** Each worker's connection with its address as the broker sees it (a reconnect gets another port), sorted. */
    private String workerConnections() {
        Set<String> connections = new TreeSet<>();
        for (String line : node.ctl("list_connections", "--silent", "name", "client_properties").split("\n")) {
            for (String worker : List.of(logConsumer.name(), botWorker.name())) {
                if (line.contains("{\"connection_name\",\"" + worker + "\"}")) {
                    connections.add(worker + " " + line.substring(0, line.indexOf('\t')).trim());
                }
            }
        }
        return String.join("\n", connections);
    }

    private static long notReady(HealthWatch health, List<long[]> periods) {
        return periods.stream().mapToLong(p -> health.between(p[0], p[1]).stream().filter(s -> s.ready() != 200).count()).sum();
    }

    private static String millis(double seconds) {
        return Math.round(seconds * 1000) + " ms";
    }

    private static String rate(double perSecond) {
        return Math.round(perSecond) + "/s";
    }
}
