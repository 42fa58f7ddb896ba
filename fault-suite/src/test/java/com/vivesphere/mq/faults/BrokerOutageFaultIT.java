package com.vivesphere.mq.faults;

import static com.vivesphere.mq.faults.support.MixedTraffic.id;
import static com.vivesphere.mq.faults.support.MixedTraffic.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.rabbitmq.client.Connection;
import com.vivesphere.mq.common.topology.Topology;
import com.vivesphere.mq.faults.support.DeliveryOutcome;
import com.vivesphere.mq.faults.support.Figures;
import com.vivesphere.mq.faults.support.HealthWatch;
import com.vivesphere.mq.faults.support.ReliablePublisher;
import com.vivesphere.mq.faults.support.Traffic;
import com.vivesphere.mq.testing.XApiStub;

/**
 * Scenario 3: the broker node is stopped and started again under load, with a burst of events waiting and
 * actions scheduled in the delay levels.
 */
class BrokerOutageFaultIT extends BrokerOutageScenario {

    /** Actions published before the restart with a notBefore 30 s ahead. */
    private static final int SCHEDULED = 200;

    BrokerOutageFaultIT() {
        super("broker-outage");
    }

    @Test
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
            long waiting;
            long delayed;
            try (Connection producer = sandbox.connect("fault-burst")) {
                List<Traffic.Outgoing> scheduled = new ArrayList<>();
                for (int i = 0; i < SCHEDULED; i++) {
                    scheduled.add(Traffic.botAction(id(scenario + "-scheduled", i), "bot-" + (i % XApiStub.BOTS + 1), "POST",
                            "\"text\":\"" + scheduledText(scenario, i) + "\",\"notBefore\":\"" + notBefore + "\""));
                }
                Traffic.publish(producer, scheduled);
                // The bot worker moves them to the delay levels as it takes them; a loaded machine takes a while.
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> sandbox.delayed() > 0);
                List<Traffic.Outgoing> events = new ArrayList<>();
                for (int i = 0; i < burst; i++) {
                    events.add(Traffic.logEvent(id(scenario + "-burst", i), scenario));
                }
                Traffic.publish(producer, events);
                waiting = sandbox.ready(Topology.LOG_QUEUE);
                delayed = sandbox.delayed();
            }

            long stopping = System.nanoTime();
            node.stop();
            long stopped = System.nanoTime();
            node.start();
            long back = System.nanoTime();

            Recovery recovery = Recovery.await(consumerHealth, botHealth, back, Duration.ofSeconds(60));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> publisher.generated() > 0
                    && sandbox.rows("log_events", "service = '" + scenario + "' AND stored_at > now() - interval '1 second'") > 0);
            publisher.finish(Duration.ofMinutes(1));

            DeliveryOutcome outcome = verify(scenario, publisher, burst, SCHEDULED);
            recovery.assertOutageHandled(stopping, stopped);

            Figures.record("3 broker restart", "broker away (stop + start)", Figures.seconds((back - stopping) / 1e9));
            Figures.record("3 broker restart", "waiting at the stop: log_queue / delay levels (scheduled actions)",
                    waiting + " / " + delayed);
            recovery.record("3 broker restart");
            outcome.record("3 broker restart", publisher);
        }
    }

}
