package com.vivesphere.mq.runtime.rabbitmq;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryDelayHandler;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.impl.DefaultExceptionHandler;
import com.vivesphere.mq.common.broker.BrokerSettings;
import com.vivesphere.mq.common.publish.ConfirmingPublisher;
import com.vivesphere.mq.common.topology.Topology;
import com.vivesphere.mq.common.topology.TopologyDeclarer;
import com.vivesphere.mq.common.topology.TopologyMismatchException;
import com.vivesphere.mq.runtime.concurrent.DaemonScheduler;
import com.vivesphere.mq.runtime.config.TopologyConfig;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;

/**
 * The application's one connection to RabbitMQ. At start it connects and declares the {@link Topology}
 * before any consumer starts. A broker that is down does not stop the application: it keeps trying with
 * capped exponential backoff ({@link Backoff}), forever, and so does the RabbitMQ client's automatic
 * recovery after a lost connection (consumers, prefetch and confirm mode included). A queue that exists with
 * other arguments stops the application with a message that says how to fix it.
 */
@Singleton
public class BrokerConnection {

    private static final Logger LOG = Logger.getLogger(BrokerConnection.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 3_000;
    private static final int HEARTBEAT_SECONDS = 15;

    private final BrokerSettings broker;
    private final Topology topology;
    private final String connectionName;
    private final ConfirmingPublisher publisher = new ConfirmingPublisher();
    private final List<Consumer<Connection>> onConnected = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService scheduler = DaemonScheduler.create("amqp-connection");
    private volatile Connection connection;
    private volatile String lastError = "not connected yet";
    /** The broker's reason while it blocks this connection's publishing (a resource alarm); null otherwise. */
    private volatile String blockedReason;

    public BrokerConnection(BrokerSettings broker, TopologyConfig topologyConfig,
            @ConfigProperty(name = "quarkus.application.name", defaultValue = "vivesphere-mq") String applicationName) {
        this.broker = broker;
        this.topology = Topology.standard(topologyConfig.settings());
        this.connectionName = applicationName;
    }

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        try {
            connect();
        } catch (IOException | TimeoutException e) {
            lastError = broker.explain(e);
            LOG.warnf("RabbitMQ at %s is not reachable (%s); starting anyway and connecting when it is",
                    broker.describe(), lastError);
            retryConnect(Backoff.FIRST);
        }
    }

    private synchronized void connect() throws IOException, TimeoutException {
        Connection opened = connectionFactory().newConnection(broker.addresses(), connectionName);
        try {
            // Left open for the connection's life: recovery re-declares the topology through it.
            TopologyDeclarer.declare(opened.createChannel(), topology);
            publisher.open(opened);
        } catch (IOException | RuntimeException e) {
            opened.abort();
            lastError = broker.explain(e);
            throw e;
        }
        ((Recoverable) opened).addRecoveryListener(new RecoveryListener() {
            @Override
            public void handleRecoveryStarted(Recoverable recoverable) {
                LOG.warnf("Lost the connection to RabbitMQ at %s; recovering", broker.describe());
            }

            @Override
            public void handleRecovery(Recoverable recoverable) {
                LOG.infof("Connection to RabbitMQ at %s recovered", broker.describe());
            }
        });
        // A resource alarm blocks publishing (results, retries, dead letters), so the messages that need it wait
        // unacked; consuming and acking go on. Said in the log and readiness, which stays UP.
        opened.addBlockedListener(reason -> {
            blockedReason = reason;
            LOG.warnf("RabbitMQ at %s blocks publishing (%s): messages that need a publish wait unacknowledged until it"
                    + " unblocks", broker.describe(), reason);
        }, () -> {
            blockedReason = null;
            LOG.infof("RabbitMQ at %s unblocked publishing", broker.describe());
        });
        opened.addShutdownListener(cause -> {
            lastError = cause.getMessage();
            blockedReason = null;
        });
        connection = opened;
        LOG.infof("Connected to RabbitMQ at %s and declared the topology: %d exchanges, %d queues, %d bindings",
                broker.describe(), topology.exchanges().size(), topology.queues().size(), topology.bindings().size());
        onConnected.forEach(action -> action.accept(opened));
    }

    private void retryConnect(Duration delay) {
        schedule(() -> {
            try {
                connect();
            } catch (TopologyMismatchException e) {
                LOG.error(e.getMessage());
                Quarkus.asyncExit(1);
            } catch (IOException | TimeoutException | RuntimeException e) {
                failedToConnect(e);
                retryConnect(Backoff.next(delay));
            }
        }, delay);
    }

    /** Once per reason, not per attempt: a broker that now refuses the login is news, the tenth refusal is not. */
    private void failedToConnect(Throwable failure) {
        String reason = failure instanceof Exception e ? broker.explain(e) : failure.toString();
        if (!reason.equals(lastError)) {
            LOG.warnf("Connecting to RabbitMQ at %s failed (%s); retrying", broker.describe(), reason);
        } else {
            LOG.debugf("Connecting to RabbitMQ failed again (%s)", failure);
        }
        lastError = reason;
    }

    private ConnectionFactory connectionFactory() {
        ConnectionFactory factory = broker.connectionFactory(CONNECT_TIMEOUT_MILLIS);
        factory.setAutomaticRecoveryEnabled(true);
        factory.setTopologyRecoveryEnabled(true);
        factory.setRecoveryDelayHandler(new RecoveryDelayHandler.ExponentialBackoffDelayHandler(Backoff.sequenceMillis()));
        factory.setRequestedHeartbeat(HEARTBEAT_SECONDS);
        // A failed recovery is explained as a failed connection is (a refused client certificate, ...), in log and readiness.
        factory.setExceptionHandler(new DefaultExceptionHandler() {
            @Override
            public void handleConnectionRecoveryException(Connection conn, Throwable exception) {
                failedToConnect(exception);
            }
        });
        return factory;
    }

    /** Runs {@code action} with the connection once it is open and the topology declared (now, if it is). */
    public synchronized void whenConnected(Consumer<Connection> action) {
        onConnected.add(action);
        Connection current = connection;
        if (current != null) {
            action.accept(current);
        }
    }

    public void schedule(Runnable task, Duration delay) {
        scheduler.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Duration period) {
        return scheduler.scheduleAtFixedRate(task, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isOpen() {
        Connection current = connection;
        return current != null && current.isOpen();
    }

    /** The broker's reason while it blocks publishing on this connection (e.g. "low on memory"), else empty. */
    public Optional<String> blockedReason() {
        return Optional.ofNullable(blockedReason);
    }

    public String lastError() {
        return lastError;
    }

    public String describe() {
        return broker.describe();
    }

    /** Publisher with confirms on this connection. */
    public ConfirmingPublisher publisher() {
        return publisher;
    }

    @PreDestroy
    void close() {
        scheduler.shutdownNow();
        Connection current = connection;
        if (current != null && current.isOpen()) {
            try {
                current.close(5_000);
            } catch (IOException | RuntimeException e) {
                LOG.debugf("Closing the RabbitMQ connection: %s", e);
            }
        }
    }
}
