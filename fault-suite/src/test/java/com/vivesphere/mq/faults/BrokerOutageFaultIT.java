package com.vivesphere.mq.faults;

import static com.vivesphere.mq.faults.support.MixedTraffic.id;
import static com.vivesphere.mq.faults.support.MixedTraffic.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import com.rabbitmq.client.Connection;
import com.vivesphere.mq.common.topology.Topology;
import com.vivesphere.mq.faults.support.BrokerNode;
import com.vivesphere.mq.faults.support.DeliveryOutcome;
import com.vivesphere.mq.faults.support.Figures;
import com.vivesphere.mq.faults.support.HealthWatch;
import com.vivesphere.mq.faults.support.ReliablePublisher;
import com.vivesphere.mq.faults.support.Sandbox;
import com.vivesphere.mq.faults.support.Traffic;
import com.vivesphere.mq.testing.PackagedApp;
import com.vivesphere.mq.testing.XApiStub;

/**
 * Scenarios 3 and 4: the broker node (the test's own) is stopped and started again under load, once
 * briefly and once for two minutes. Durable queues and persistent messages survive, both workers stay
 * alive (liveness UP, readiness DOWN while the broker is away) and reconnect by themselves, and producers
 * that use confirms lose nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrokerOutageFaultIT {

    private static final Duration START = Duration.ofSeconds(120);
    /** One message in this many is a bot action (a post), the others log events. */
    /** Actions published before the restart with a notBefore 30 s ahead. */
    private static final int SCHEDULED = 200;

    private BrokerNode node;
    private Sandbox sandbox;
    private XApiStub x;
    private PackagedApp logConsumer;
    private PackagedApp botWorker;

    @BeforeAll
    void start() {
        Path logs = Figures.output().resolve("broker-outage");
        node = BrokerNode.start("outage", "");
        sandbox = Sandbox.on(List.of(node));
        x = new XApiStub(Duration.ofMillis(20));
        Map<String, String> botEnv = new HashMap<>(sandbox.env());
        botEnv.putAll(x.env(x.credentialsFile(logs, "refresh-")));
        botEnv.put("BOT_WORKER_ACTION_LEASE", "10s");
        logConsumer = PackagedApp.start(PackagedApp.App.LOG_CONSUMER, sandbox.env(), logs.resolve("log-consumer.log"));
        botWorker = PackagedApp.start(PackagedApp.App.BOT_ACTION_WORKER, botEnv, logs.resolve("bot-action-worker.log"));
        logConsumer.awaitReady(START);
        botWorker.awaitReady(START);
    }

    @AfterAll
    void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] { logConsumer, botWorker, x, sandbox, node }) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // keep closing the others
            }
        }
    }

    @Test
    @Order(1)
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void brokerRestartUnderLoad() throws Exception {
        String scenario = "restart-" + UUID.randomUUID().toString().substring(0, 6);
        try (HealthWatch consumerHealth = new HealthWatch(logConsumer); HealthWatch botHealth = new HealthWatch(botWorker);
                ReliablePublisher publisher = new ReliablePublisher(sandbox, 300, i -> message(scenario, i))) {
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                    .until(() -> sandbox.rows("log_events", "service = '" + scenario + "'") >= 300);
            // What has to survive the restart on disk: persistent messages in durable queues. A burst of events
            // (some still waiting when the broker stops), and actions scheduled for 30 s from now, waiting in
            // the delay levels.
            int burst = 20_000;
            String notBefore = OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(30).toString();
            try (Connection producer = sandbox.connect("fault-burst")) {
                List<Traffic.Outgoing> messages = new ArrayList<>();
                for (int i = 0; i < SCHEDULED; i++) {
                    messages.add(Traffic.botAction(id(scenario + "-scheduled", i), "bot-" + (i % XApiStub.BOTS + 1), "POST",
                            "\"text\":\"" + scheduledText(scenario, i) + "\",\"notBefore\":\"" + notBefore + "\""));
                }
                for (int i = 0; i < burst; i++) {
                    messages.add(Traffic.logEvent(id(scenario + "-burst", i), scenario));
                }
                Traffic.publish(producer, messages);
            }
            long waiting = sandbox.ready(Topology.LOG_QUEUE);
            long delayed = sandbox.delayed();

            long stopping = System.nanoTime();
            node.stop();
            long stopped = System.nanoTime();
            node.start();
            long back = System.nanoTime();

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> consumerHealth.secondsUntilReady(back) >= 0 && botHealth.secondsUntilReady(back) >= 0);
            double consumerRecovery = consumerHealth.secondsUntilReady(back);
            double botRecovery = botHealth.secondsUntilReady(back);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> publisher.generated() > 0
                    && sandbox.rows("log_events", "service = '" + scenario + "' AND stored_at > now() - interval '1 second'") > 0);
            publisher.finish(Duration.ofMinutes(1));

            DeliveryOutcome outcome = verify(scenario, publisher, burst, SCHEDULED);
            assertThat(delayed).as("scheduled actions waiting in the delay levels when the broker stopped").isPositive();
            assertAway(consumerHealth, stopping, stopped, back);
            assertAway(botHealth, stopping, stopped, back);
            assertThat(consumerRecovery).as("log-consumer ready again, seconds after the broker returned").isLessThanOrEqualTo(15);
            assertThat(botRecovery).as("bot-action-worker ready again, seconds after the broker returned").isLessThanOrEqualTo(15);

            Figures.record("3 broker restart", "broker away (stop + start)", Figures.seconds((back - stopping) / 1e9));
            Figures.record("3 broker restart", "waiting at the stop: log_queue / delay levels (scheduled actions)",
                    waiting + " / " + delayed);
            Figures.record("3 broker restart", "recovery after the broker returned: log-consumer / bot-action-worker",
                    Figures.seconds(consumerRecovery) + " / " + Figures.seconds(botRecovery));
            outcome.record("3 broker restart", publisher);
        }
    }

    @Test
    @Order(2)
    @Timeout(value = 7, unit = TimeUnit.MINUTES)
    void twoMinuteBrokerOutage() throws Exception {
        String scenario = "outage-" + UUID.randomUUID().toString().substring(0, 6);
        try (HealthWatch consumerHealth = new HealthWatch(logConsumer); HealthWatch botHealth = new HealthWatch(botWorker);
                ReliablePublisher publisher = new ReliablePublisher(sandbox, 300, i -> message(scenario, i))) {
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                    .until(() -> sandbox.rows("log_events", "service = '" + scenario + "'") >= 300);

            long stopping = System.nanoTime();
            node.stop();
            long stopped = System.nanoTime();
            // Two minutes without a broker: both keep running, live, not ready, and keep trying.
            await().during(Duration.ofMinutes(2)).atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .until(() -> logConsumer.isAlive() && botWorker.isAlive()
                            && logConsumer.status("/q/health/live") == 200 && botWorker.status("/q/health/live") == 200
                            && logConsumer.status("/q/health/ready") == 503 && botWorker.status("/q/health/ready") == 503);
            node.start();
            long back = System.nanoTime();

            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                    .until(() -> consumerHealth.secondsUntilReady(back) >= 0 && botHealth.secondsUntilReady(back) >= 0);
            double consumerRecovery = consumerHealth.secondsUntilReady(back);
            double botRecovery = botHealth.secondsUntilReady(back);
            publisher.finish(Duration.ofMinutes(1));

            DeliveryOutcome outcome = verify(scenario, publisher, 0, 0);
            assertAway(consumerHealth, stopping, stopped, back);
            assertAway(botHealth, stopping, stopped, back);
            assertThat(consumerRecovery).as("log-consumer ready again, seconds after the broker returned").isLessThanOrEqualTo(15);
            assertThat(botRecovery).as("bot-action-worker ready again, seconds after the broker returned").isLessThanOrEqualTo(15);

            Figures.record("4 broker outage 2 min", "broker away", Figures.seconds((back - stopping) / 1e9));
            Figures.record("4 broker outage 2 min", "recovery after the broker returned: log-consumer / bot-action-worker",
                    Figures.seconds(consumerRecovery) + " / " + Figures.seconds(botRecovery));
            outcome.record("4 broker outage 2 min", publisher);
        }
    }

    /** Waits for and checks everything published, the burst and the scheduled posts included. */
    private DeliveryOutcome verify(String scenario, ReliablePublisher publisher, int burst, int scheduled) {
        Set<String> burstEvents = new HashSet<>();
        for (int i = 0; i < burst; i++) {
            burstEvents.add(id(scenario + "-burst", i).toString());
        }
        Set<String> scheduledPosts = new HashSet<>();
        for (int i = 0; i < scheduled; i++) {
            scheduledPosts.add(scheduledText(scenario, i));
        }
        return DeliveryOutcome.verify(scenario, publisher, sandbox, x, burstEvents, scheduledPosts, logConsumer, botWorker);
    }

    private static void assertAway(HealthWatch health, long stopping, long stopped, long back) {
        assertThat(health.between(stopping, back)).as("liveness while the broker was away")
                .allSatisfy(s -> assertThat(s.live()).isEqualTo(200));
        assertThat(health.between(stopped, back - 1_000_000_000L)).as("readiness while the broker was down").isNotEmpty()
                .allSatisfy(s -> assertThat(s.ready()).isEqualTo(503));
    }

    private static String scheduledText(String scenario, int i) {
        return "fault-suite " + scenario + " scheduled post " + i;
    }
}
