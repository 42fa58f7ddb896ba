package com.vivesphere.mq.faults;

import static com.vivesphere.mq.faults.support.MixedTraffic.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.rabbitmq.client.Connection;
import com.vivesphere.mq.common.publish.MessagePublisher;
import com.vivesphere.mq.common.topology.Topology;
import com.vivesphere.mq.faults.support.BrokerNode;
import com.vivesphere.mq.faults.support.DeliveryOutcome;
import com.vivesphere.mq.faults.support.Figures;
import com.vivesphere.mq.faults.support.HealthWatch;
import com.vivesphere.mq.faults.support.MixedTraffic;
import com.vivesphere.mq.faults.support.ReliablePublisher;
import com.vivesphere.mq.faults.support.Traffic;
import com.vivesphere.mq.testing.XApiStub;

/**
 * Scenario 12: the broker's memory alarm ({@code rabbitmqctl set_vm_memory_high_watermark}, lowered below what the
 * node uses) blocks every connection that publishes while producers run and both workers consume a backlog.
 * log-consumer, which only consumes and acks, keeps storing; bot-action-worker, which acks an action only once
 * its result events are confirmed, posts what it holds (its prefetch) and waits; the producers' confirms stop. The alarm clears and everything flows:
 * every confirmed message stored or posted exactly once.
 */
class ResourceAlarmFaultIT extends BrokerOutageScenario {

    private static final String SCENARIO = "12 memory alarm";
    /** Events waiting in log_queue when the alarm starts: what log-consumer consumes meanwhile. */
    private static final int BACKLOG = 5_000;
    /** Actions that come due in the alarm: posted on X, their result events blocked. */
    private static final int SCHEDULED = 100;
    /**
     * When the backlog and the scheduled actions come due: after the alarm blocked the publishers, however long
     * publishing them took (over 30 s under CI load).
     */
    private static final Duration DUE = Duration.ofSeconds(60);

    ResourceAlarmFaultIT() {
        super("resource-alarm");
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void memoryAlarmBlocksPublishersNotConsumers() throws Exception {
        String scenario = "alarm-" + UUID.randomUUID().toString().substring(0, 6);
        String where = "service = '" + scenario + "'";
        try (HealthWatch consumerHealth = new HealthWatch(logConsumer); HealthWatch botHealth = new HealthWatch(botWorker);
                ReliablePublisher publisher = new ReliablePublisher(sandbox, 300, i -> message(scenario, i))) {
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100)).until(() -> sandbox.rows("log_events", where) >= 300);
            // What reaches the workers during the alarm: a backlog of events and scheduled actions, waiting in the
            // delay levels (the broker moves them to their queues itself; only publishing connections are blocked).
            Set<String> backlog = new HashSet<>();
            Set<String> scheduled = new HashSet<>();
            try (Connection producer = sandbox.connect("fault-backlog");
                    MessagePublisher delayed = new MessagePublisher(producer, Duration.ofMinutes(1))) {
                for (int i = 0; i < BACKLOG; i++) {
                    UUID id = MixedTraffic.id(scenario + "-backlog", i);
                    backlog.add(id.toString());
                    Traffic.Outgoing event = Traffic.logEvent(id, scenario);
                    delayed.publishRawDelayed(Topology.LOG_QUEUE, DUE, event.properties(), event.body());
                }
                for (int i = 0; i < SCHEDULED; i++) {
                    String text = "fault-suite " + scenario + " scheduled post " + i;
                    scheduled.add(text);
                    Traffic.Outgoing action = Traffic.botAction(MixedTraffic.id(scenario + "-scheduled", i),
                            "bot-" + (i % XApiStub.BOTS + 1), "POST", "\"text\":\"" + text + "\"");
                    delayed.publishRawDelayed(Topology.BOT_ACTION_QUEUE, DUE, action.properties(), action.body());
                }
                delayed.awaitConfirms();
            }

            node.ctl("set_vm_memory_high_watermark", "0.0001");
            long alarmed = System.nanoTime();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> connectionStates().contains("fault-suite-reliable-publisher=blocked"));
            long blocked = System.nanoTime();
            int confirmedAtBlock = publisher.confirmed().size();
            long storedAtBlock = storedOf(backlog);
            long postedAtBlock = posted(scheduled);
            // The alarm holds until the backlog is stored and bot-action-worker stopped posting: blocked on the
            // confirms of its result events, it acks nothing and gets no more than its prefetch.
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> storedOf(backlog) == BACKLOG && posted(scheduled) > 0);
            AtomicLong postedSoFar = new AtomicLong(-1);
            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        long posted = posted(scheduled);
                        return postedSoFar.getAndSet(posted) == posted;
                    });
            long postedInAlarm = postedSoFar.get();
            int confirmedInAlarm = publisher.confirmed().size() - confirmedAtBlock;
            String statesInAlarm = connectionStates();
            String botReadinessInAlarm = botWorker.body("/q/health/ready");
            String unackedActions = queueColumn(Topology.BOT_ACTION_QUEUE, "messages_unacknowledged");
            node.ctl("set_vm_memory_high_watermark", "0.4");
            long cleared = System.nanoTime();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> publisher.confirmed().size() > confirmedAtBlock + confirmedInAlarm);
            double flowingAgain = (System.nanoTime() - cleared) / 1e9;
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !botWorker.body("/q/health/ready").contains("publishing blocked"));
            publisher.finish(Duration.ofMinutes(1));

            DeliveryOutcome outcome = DeliveryOutcome.verify(scenario, publisher, sandbox, x, backlog, scheduled, logConsumer,
                    botWorker);
            assertThat(storedAtBlock + postedAtBlock).as("backlog stored and scheduled actions posted before the block").isZero();
            assertThat(confirmedInAlarm).as("messages confirmed to the producer while blocked").isZero();
            assertThat(postedInAlarm).as("scheduled actions posted in the alarm").isLessThan(SCHEDULED);
            assertThat(botReadinessInAlarm).as("bot-action-worker's readiness in the alarm")
                    .contains("publishing blocked by the broker: low on memory");
            assertThat(statesInAlarm).as("connection states in the alarm").contains("bot-action-worker=blocked");
            for (HealthWatch health : List.of(consumerHealth, botHealth)) {
                assertThat(health.between(alarmed, cleared)).as("liveness in the alarm").isNotEmpty()
                        .allSatisfy(s -> assertThat(s.live()).isEqualTo(200))
                        // still consuming: ready, and readiness says what is blocked
                        .allSatisfy(s -> assertThat(s.ready()).isEqualTo(200));
            }

            Figures.record(SCENARIO, "alarm set to first connection blocked", Figures.seconds((blocked - alarmed) / 1e9));
            Figures.record(SCENARIO, "alarm held (blocked to cleared)", Figures.seconds((cleared - blocked) / 1e9));
            Figures.record(SCENARIO, "in the alarm: backlog stored / scheduled posted / producer confirms",
                    BACKLOG + " / " + postedInAlarm + " of " + SCHEDULED + " / " + confirmedInAlarm);
            Figures.record(SCENARIO, "actions unacked at the end of the alarm (results not confirmed)", unackedActions);
            Figures.record(SCENARIO, "connection states in the alarm", statesInAlarm);
            Figures.record(SCENARIO, "readiness in the alarm (ready, with the blocked reason)", botReadinessInAlarm.replaceAll("\\s+", " "));
            Figures.record(SCENARIO, "first confirm after the alarm cleared", Figures.seconds(flowingAgain));
            outcome.record(SCENARIO, publisher);
        }
    }

    private long storedOf(Set<String> ids) {
        return sandbox.count("SELECT count(*) FROM log_events WHERE id::text IN ('" + String.join("','", ids) + "')");
    }

    /** A column of {@code queue} as {@code rabbitmqctl list_queues} gives it (exact, unlike sampled statistics). */
    private String queueColumn(String queue, String column) {
        return BrokerNode.row(node.ctl("list_queues", "--silent", "name", column), queue).split("\t")[1].trim();
    }

    private long posted(Set<String> texts) {
        return texts.stream().filter(t -> x.created(t) > 0).count();
    }

    /** Each connection name with its states (running, blocking, blocked) as the broker lists them, distinct and sorted. */
    private String connectionStates() {
        Set<String> states = new TreeSet<>();
        for (String line : node.ctl("list_connections", "--silent", "state", "client_properties").split("\n")) {
            int name = line.indexOf("{\"connection_name\",\"");
            if (name >= 0) {
                int start = name + "{\"connection_name\",\"".length();
                states.add(line.substring(start, line.indexOf('"', start)) + "=" + line.substring(0, line.indexOf('\t')).trim());
            }
        }
        return String.join(", ", states);
    }
}
