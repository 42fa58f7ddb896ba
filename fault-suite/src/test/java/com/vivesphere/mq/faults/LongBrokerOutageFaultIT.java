package com.vivesphere.mq.faults;

import static com.vivesphere.mq.faults.support.MixedTraffic.message;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import com.vivesphere.mq.faults.support.DeliveryOutcome;
import com.vivesphere.mq.faults.support.Figures;
import com.vivesphere.mq.faults.support.HealthWatch;
import com.vivesphere.mq.faults.support.ReliablePublisher;

/**
 * Scenario 4: the broker node is away for two minutes under load. The workers wait for it most of that time,
 * using little CPU, so this class runs beside the other scenarios, which run one after another (junit-platform
 * properties of the fault suite's Failsafe configuration).
 */
@Execution(ExecutionMode.CONCURRENT)
class LongBrokerOutageFaultIT extends BrokerOutageScenario {

    LongBrokerOutageFaultIT() {
        super("long-broker-outage");
    }

    @Test
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

            Recovery recovery = Recovery.await(consumerHealth, botHealth, back, Duration.ofSeconds(90));
            publisher.finish(Duration.ofMinutes(1));

            DeliveryOutcome outcome = verify(scenario, publisher, 0, 0);
            recovery.assertOutageHandled(stopping, stopped);

            Figures.record("4 broker outage 2 min", "broker away", Figures.seconds((back - stopping) / 1e9));
            recovery.record("4 broker outage 2 min");
            outcome.record("4 broker outage 2 min", publisher);
        }
    }

}
