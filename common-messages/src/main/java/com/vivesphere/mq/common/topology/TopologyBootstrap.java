package com.vivesphere.mq.common.topology;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.inject.Singleton;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import com.rabbitmq.client.Connection;
import com.vivesphere.mq.common.config.BrokerConfig;
import com.vivesphere.mq.common.config.TopologyConfig;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;

/**
 * Declares the {@link Topology} before any channel starts consuming (the channels only check that their
 * queue exists). A broker that is down at start does not stop the application: declaration is retried in
 * the background with capped exponential backoff, forever, while readiness reports DOWN. A queue that
 * exists with other arguments stops the application with a message that says how to fix it.
 */
@Singleton
public class TopologyBootstrap {

    private static final Logger LOG = Logger.getLogger(TopologyBootstrap.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 3_000;
    private static final Duration FIRST_RETRY = Duration.ofMillis(500);
    private static final Duration MAX_RETRY = Duration.ofSeconds(30);

    private final BrokerConfig broker;
    private final Topology topology;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "topology-declaration");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean declared;
    private volatile String lastError = "not declared yet";

    public TopologyBootstrap(BrokerConfig broker, TopologyConfig config) {
        this.broker = broker;
        this.topology = Topology.standard(config.settings());
    }

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        try {
            declare();
        } catch (IOException | TimeoutException e) {
            LOG.warnf("RabbitMQ at %s is not reachable (%s); starting anyway and declaring the topology when it is",
                    broker.describe(), e.toString());
            scheduleRetry(FIRST_RETRY);
        }
    }

    public Topology topology() {
        return topology;
    }

    public boolean isDeclared() {
        return declared;
    }

    public String lastError() {
        return lastError;
    }

    private void declare() throws IOException, TimeoutException {
        try (Connection connection = broker.connectionFactory(CONNECT_TIMEOUT_MILLIS)
                .newConnection(broker.addresses(), "topology-declaration")) {
            TopologyDeclarer.declare(connection, topology);
            declared = true;
            LOG.infof("Topology declared on %s: %d exchanges, %d queues, %d bindings", broker.describe(),
                    topology.exchanges().size(), topology.queues().size(), topology.bindings().size());
        } catch (IOException | TimeoutException e) {
            lastError = e.toString();
            throw e;
        }
    }

    private void scheduleRetry(Duration delay) {
        retries.schedule(() -> {
            try {
                declare();
            } catch (TopologyMismatchException e) {
                LOG.error(e.getMessage());
                Quarkus.asyncExit(1);
            } catch (IOException | TimeoutException | RuntimeException e) {
                Duration next = delay.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : delay.multipliedBy(2);
                LOG.debugf("Topology declaration failed (%s), retrying in %s", e, next);
                scheduleRetry(next);
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        retries.shutdownNow();
    }
}
