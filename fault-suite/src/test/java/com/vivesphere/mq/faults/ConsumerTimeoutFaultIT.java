package com.vivesphere.mq.faults;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.rabbitmq.client.Connection;
import com.vivesphere.mq.common.topology.Topology;
import com.vivesphere.mq.faults.support.BrokerNode;
import com.vivesphere.mq.faults.support.Figures;
import com.vivesphere.mq.faults.support.MixedTraffic;
import com.vivesphere.mq.faults.support.Sandbox;
import com.vivesphere.mq.faults.support.Traffic;
import com.vivesphere.mq.testing.PackagedApp;
import com.vivesphere.mq.testing.TcpProxy;
import com.vivesphere.mq.testing.TestDatabase;
import com.vivesphere.mq.testing.XApiStub;

/**
 * Scenario 14: a processing step longer than the broker's {@code consumer_timeout}. The node's timeout is 5 s
 * (checked every second, not every minute as by default); X answers some posts after 8 s, and log-consumer's
 * database is cut for longer than the timeout. The broker closes each worker's channel (PRECONDITION_FAILED,
 * "delivery acknowledgement ... timed out") and puts its unacked deliveries back. Each worker says so, consumes
 * again by itself, settles nothing more on the closed channel (no second copy of a message), and the redeliveries
 * are counted attempts: every action posted once, every event stored once, deliveries per message bounded.
 */
class ConsumerTimeoutFaultIT {

    private static final String SCENARIO = "14 consumer timeout";
    private static final Duration START = Duration.ofSeconds(120);
    private static final int CONSUMER_TIMEOUT_MILLIS = 5_000;
    /** How long X takes for a slow post: longer than the consumer timeout, shorter than the worker's read timeout. */
    private static final int SLOW_POST_MILLIS = 8_000;
    private static final int SLOW_POSTS = 3;
    private static final int FAST_POSTS = 30;
    private static final int EVENTS = 2_000;
    /** The retry budget of both workers (their default): what bounds deliveries per message. */
    private static final int MAX_ATTEMPTS = 5;
    private static final String TIMED_OUT = "stayed unacknowledged longer than the broker's consumer_timeout";

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void aStepLongerThanTheConsumerTimeoutIsRedeliveredBoundedAndDoneOnce() throws Exception {
        String scenario = "ctimeout-" + UUID.randomUUID().toString().substring(0, 6);
        Path logs = Figures.output().resolve("consumer-timeout");
        try (BrokerNode node = BrokerNode.start("consumer-timeout", "consumer_timeout = " + CONSUMER_TIMEOUT_MILLIS + "\n",
                List.of(), "[{rabbit, [{channel_tick_interval, 1000}]}].\n");
                Sandbox sandbox = Sandbox.on(List.of(node)); XApiStub x = new XApiStub(Duration.ofMillis(20));
                TcpProxy database = new TcpProxy(TestDatabase.HOST, TestDatabase.PORT).start()) {
            x.wireMock().stubFor(post(urlEqualTo("/2/tweets")).withRequestBody(containing("slow post")).atPriority(1)
                    .willReturn(aResponse().withFixedDelay(SLOW_POST_MILLIS).withTransformers("x")));
            Map<String, String> consumerEnv = new HashMap<>(sandbox.env());
            consumerEnv.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://localhost:" + database.port() + "/" + sandbox.database());
            Map<String, String> botEnv = new HashMap<>(sandbox.env());
            botEnv.putAll(x.env(x.credentialsFile(logs, "refresh-")));
            // The call outlasts the consumer timeout: the misconfiguration this scenario is about.
            botEnv.put("X_API_READ_TIMEOUT", "20000");
            try (PackagedApp logConsumer = PackagedApp.start(PackagedApp.App.LOG_CONSUMER, consumerEnv, logs.resolve("log-consumer.log"));
                    PackagedApp botWorker = PackagedApp.start(PackagedApp.App.BOT_ACTION_WORKER, botEnv,
                            logs.resolve("bot-action-worker.log"));
                    Connection producer = sandbox.connect("fault-producer")) {
                logConsumer.awaitReady(START);
                botWorker.awaitReady(START);

                database.stop();
                long cut = System.nanoTime();
                List<String> texts = new ArrayList<>();
                List<Traffic.Outgoing> messages = new ArrayList<>();
                for (int i = 0; i < SLOW_POSTS + FAST_POSTS; i++) {
                    String text = "fault-suite " + scenario + (i < SLOW_POSTS ? " slow post " : " post ") + i;
                    texts.add(text);
                    messages.add(Traffic.botAction(MixedTraffic.id(scenario + "-action", i), "bot-" + (i % XApiStub.BOTS + 1),
                            "POST", "\"text\":\"" + text + "\""));
                }
                for (int i = 0; i < EVENTS; i++) {
                    messages.add(Traffic.logEvent(MixedTraffic.id(scenario, i), scenario));
                }
                Traffic.publish(producer, messages);

                // log-consumer holds what it got for the database; the broker's timeout closes its channel.
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> logConsumer.log().contains(TIMED_OUT));
                double consumerClosedAfter = (System.nanoTime() - cut) / 1e9;
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> botWorker.log().contains(TIMED_OUT));
                double botClosedAfter = (System.nanoTime() - cut) / 1e9;
                database.start();
                double cutFor = (System.nanoTime() - cut) / 1e9;

                String where = "service = '" + scenario + "'";
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                        .until(() -> sandbox.rows("log_events", where) >= EVENTS && texts.stream().allMatch(t -> x.created(t) > 0));
                sandbox.awaitQuiet(Duration.ofMinutes(1), logConsumer, botWorker);
                double done = (System.nanoTime() - cut) / 1e9;

                long rows = sandbox.rows("log_events", where);
                long distinct = sandbox.count("SELECT count(DISTINCT id) FROM log_events WHERE " + where);
                long postedTwice = texts.stream().filter(t -> x.created(t) > 1).count();
                long postsLost = texts.stream().filter(t -> x.created(t) == 0).count();
                long maxClaims = sandbox.count("SELECT max(attempts) FROM bot_action_executions");
                long claimedTwice = sandbox.count("SELECT count(*) FROM bot_action_executions WHERE attempts > 1");
                double consumerReceived = logConsumer.metricSum("vivesphere_messages_received_total");
                double botReceived = botWorker.metricSum("vivesphere_messages_received_total");
                double consumerTimeouts = logConsumer.metricSum("vivesphere_rabbitmq_consumer_timeouts_total");
                double botTimeouts = botWorker.metricSum("vivesphere_rabbitmq_consumer_timeouts_total");
                double consumerRedelivered = logConsumer.metricSum("vivesphere_messages_failed_total", "reason=\"redelivered\"");
                double botRedelivered = botWorker.metricSum("vivesphere_messages_failed_total", "reason=\"redelivered\"");
                double consumerAbandoned = logConsumer.metricSum("vivesphere_messages_abandoned_total");
                double botAbandoned = botWorker.metricSum("vivesphere_messages_abandoned_total");

                assertThat(rows).as("events stored").isEqualTo(EVENTS);
                assertThat(distinct).as("distinct events stored").isEqualTo(EVENTS);
                assertThat(postsLost).as("actions lost").isZero();
                assertThat(postedTwice).as("actions posted twice").isZero();
                assertThat(x.postRequests()).as("POST requests to X (one per action)").isEqualTo(SLOW_POSTS + FAST_POSTS);
                assertThat(x.duplicatesRefused()).as("posts refused by X as duplicates").isZero();
                assertThat(sandbox.ready(Topology.DEAD_LETTER_QUEUE)).as("dead letters").isZero();
                assertThat(consumerTimeouts).as("log-consumer channels closed by the consumer timeout").isGreaterThanOrEqualTo(1);
                assertThat(botTimeouts).as("bot-action-worker channels closed by the consumer timeout").isGreaterThanOrEqualTo(1);
                // Each redelivery is an attempt of the message's budget: deliveries per message are bounded by it.
                assertThat(consumerReceived).as("log-consumer deliveries").isLessThanOrEqualTo(EVENTS * MAX_ATTEMPTS);
                assertThat(botReceived).as("bot-action-worker deliveries").isLessThanOrEqualTo((SLOW_POSTS + FAST_POSTS) * MAX_ATTEMPTS);
                assertThat(botAbandoned).as("slow posts finished after their channel closed").isGreaterThanOrEqualTo(1);
                assertThat(maxClaims).as("ledger claims of one action").isLessThanOrEqualTo(MAX_ATTEMPTS);
                assertThat(logConsumer.log()).as("log-consumer's log").contains(TIMED_OUT)
                        .doesNotContain("Could not settle a message");
                assertThat(botWorker.log()).as("bot-action-worker's log").contains(TIMED_OUT)
                        .doesNotContain("Could not settle a message");

                Figures.record(SCENARIO, "consumer_timeout / slow X post / database cut for",
                        Figures.seconds(CONSUMER_TIMEOUT_MILLIS / 1000.0) + " / " + Figures.seconds(SLOW_POST_MILLIS / 1000.0)
                                + " / " + Figures.seconds(cutFor));
                Figures.record(SCENARIO, "first channel closed by the timeout after the cut: log-consumer / bot-action-worker",
                        Figures.seconds(consumerClosedAfter) + " / " + Figures.seconds(botClosedAfter));
                Figures.record(SCENARIO, "channels closed by the timeout: log-consumer / bot-action-worker",
                        (long) consumerTimeouts + " / " + (long) botTimeouts);
                Figures.record(SCENARIO, "events / stored / lost / duplicates; deliveries (redelivered)",
                        EVENTS + " / " + rows + " / " + (EVENTS - distinct) + " / " + (rows - distinct) + "; "
                                + (long) consumerReceived + " (" + (long) consumerRedelivered + ")");
                Figures.record(SCENARIO, "actions / posted / lost / posted twice; POST requests; deliveries (redelivered)",
                        texts.size() + " / " + texts.stream().mapToLong(x::created).sum() + " / " + postsLost + " / " + postedTwice
                                + "; " + x.postRequests() + "; " + (long) botReceived + " (" + (long) botRedelivered + ")");
                Figures.record(SCENARIO, "finished after their channel closed, not settled (abandoned): log-consumer / bot-action-worker",
                        (long) consumerAbandoned + " / " + (long) botAbandoned);
                Figures.record(SCENARIO, "actions claimed more than once / most claims of one action", claimedTwice + " / " + maxClaims);
                Figures.record(SCENARIO, "cut to everything done", Figures.seconds(done));
            }
        }
    }
}
