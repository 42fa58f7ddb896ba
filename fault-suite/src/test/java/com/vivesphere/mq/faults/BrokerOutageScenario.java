package com.vivesphere.mq.faults;

import static com.vivesphere.mq.faults.support.MixedTraffic.id;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import com.vivesphere.mq.faults.support.BrokerNode;
import com.vivesphere.mq.faults.support.DeliveryOutcome;
import com.vivesphere.mq.faults.support.Figures;
import com.vivesphere.mq.faults.support.HealthWatch;
import com.vivesphere.mq.faults.support.ReliablePublisher;
import com.vivesphere.mq.faults.support.Sandbox;
import com.vivesphere.mq.testing.PackagedApp;
import com.vivesphere.mq.testing.XApiStub;

/**
 * Scenarios 3, 4, 12 and 13 share this: a broker node of the test's own, both workers on it, and the checks that
 * durable queues and persistent messages survive, that both workers stay alive (liveness UP, readiness DOWN
 * while the broker is away) and reconnect by themselves, and that producers that use confirms lose nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BrokerOutageScenario {

    private static final Duration START = Duration.ofSeconds(120);

    private final String name;
    protected BrokerNode node;
    protected Sandbox sandbox;
    protected XApiStub x;
    protected PackagedApp logConsumer;
    protected PackagedApp botWorker;

    protected BrokerOutageScenario(String name) {
        this.name = name;
    }

    @BeforeAll
    void start() {
        Path logs = Figures.output().resolve(name);
        node = BrokerNode.start(name, "");
        sandbox = Sandbox.on(List.of(node));
        x = new XApiStub(Duration.ofMillis(20));
        Map<String, String> workerEnv = workerEnvironment();
        Map<String, String> botEnv = new HashMap<>(workerEnv);
        botEnv.putAll(x.env(x.credentialsFile(logs, "refresh-")));
        botEnv.put("BOT_WORKER_ACTION_LEASE", "10s");
        logConsumer = PackagedApp.start(PackagedApp.App.LOG_CONSUMER, workerEnv, logs.resolve("log-consumer.log"));
        botWorker = PackagedApp.start(PackagedApp.App.BOT_ACTION_WORKER, botEnv, logs.resolve("bot-action-worker.log"));
        logConsumer.awaitReady(START);
        botWorker.awaitReady(START);
    }

    /** The workers' environment: the sandbox's, on the node itself unless a scenario puts something in between. */
    protected Map<String, String> workerEnvironment() {
        return sandbox.env();
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

    /** Waits for and checks everything published, the burst and the scheduled posts included. */
    protected DeliveryOutcome verify(String scenario, ReliablePublisher publisher, int burst, int scheduled) {
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

    /** Both workers' way back after the broker returned at {@code back}: seconds until each was ready again. */
    protected record Recovery(HealthWatch consumer, HealthWatch bot, long back, double consumerSeconds, double botSeconds) {

        static Recovery await(HealthWatch consumer, HealthWatch bot, long back, Duration atMost) {
            Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(100))
                    .until(() -> consumer.secondsUntilReady(back) >= 0 && bot.secondsUntilReady(back) >= 0);
            return new Recovery(consumer, bot, back, consumer.secondsUntilReady(back), bot.secondsUntilReady(back));
        }

        /** Live all along, not ready while the broker was down, ready again within 15 s of its return. */
        void assertOutageHandled(long stopping, long stopped) {
            for (HealthWatch health : List.of(consumer, bot)) {
                assertThat(health.between(stopping, back)).as("liveness while the broker was away")
                        .allSatisfy(s -> assertThat(s.live()).isEqualTo(200));
                assertThat(health.between(stopped, back - 1_000_000_000L)).as("readiness while the broker was down").isNotEmpty()
                        .allSatisfy(s -> assertThat(s.ready()).isEqualTo(503));
            }
            assertThat(consumerSeconds).as("log-consumer ready again, seconds after the broker returned").isLessThanOrEqualTo(15);
            assertThat(botSeconds).as("bot-action-worker ready again, seconds after the broker returned").isLessThanOrEqualTo(15);
        }

        void record(String scenario) {
            Figures.record(scenario, "recovery after the broker returned: log-consumer / bot-action-worker",
                    Figures.seconds(consumerSeconds) + " / " + Figures.seconds(botSeconds));
        }
    }

    protected static String scheduledText(String scenario, int i) {
        return "fault-suite " + scenario + " scheduled post " + i;
    }
}
