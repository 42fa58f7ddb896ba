package com.vivesphere.mq.runtime.rabbitmq;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.ShutdownSignalException;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.smallrye.reactive.messaging.rabbitmq.RabbitMQRejectMetadata;

/**
 * Consumes one queue with manual acks and a prefetch, and emits each delivery as a {@code Message<byte[]>}
 * whose ack and nack settle it on the broker exactly once. The prefetch bounds the unsettled messages, so
 * the stream's buffer never holds more than that, whatever the backlog.
 */
final class QueueConsumer {

    private static final Logger LOG = Logger.getLogger(QueueConsumer.class);
    private static final Duration RESTART_DELAY = Duration.ofSeconds(5);
    /** How long a settled delivery may wait for its (batched) ack. */
    private static final Duration ACK_FLUSH_INTERVAL = Duration.ofMillis(5);
    /**
     * How long a delivery settled behind an older one still in flight may wait for that one, so both go out
     * in one multiple ack: long enough for a concurrent batch write to finish, short against the redelivery
     * a crash would cause anyway.
     */
    private static final Duration ACK_MAX_HOLD = Duration.ofMillis(100);

    private final String channelName;
    private final String queue;
    private final int prefetch;
    private final BrokerConnection broker;
    private final Runnable ackFrameSent;
    private final Runnable consumerTimedOut;
    private volatile MultiEmitter<? super Message<byte[]>> emitter;
    private volatile Channel channel;
    private volatile Deliveries deliveries;
    private volatile AckBatcher acks;
    private volatile ScheduledFuture<?> flushing;
    private volatile boolean consuming;
    private volatile String state = "not subscribed yet";

    QueueConsumer(String channelName, String queue, int prefetch, BrokerConnection broker, Runnable ackFrameSent,
            Runnable consumerTimedOut) {
        this.channelName = channelName;
        this.queue = queue;
        this.prefetch = prefetch;
        this.broker = broker;
        this.ackFrameSent = ackFrameSent;
        this.consumerTimedOut = consumerTimedOut;
    }

    Multi<Message<byte[]>> stream() {
        return Multi.createFrom().<Message<byte[]>> emitter(e -> {
            emitter = e;
            e.onTermination(this::stop);
            state = "waiting for the broker";
            broker.whenConnected(this::start);
        }, BackPressureStrategy.BUFFER);
    }

    String channelName() {
        return channelName;
    }

    boolean isConsuming() {
        Channel current = channel;
        return consuming && current != null && current.isOpen();
    }

    String state() {
        return state;
    }

    private synchronized void start(Connection connection) {
        // A channel close and a connection's recovery may both ask for a new channel: one consumer is enough.
        if (isConsuming()) {
            return;
        }
        Channel opened = null;
        try {
            opened = connection.createChannel();
            opened.basicQos(prefetch);
            // A quarter of the window per multiple ack; at most half of it held behind a delivery in flight.
            AckBatcher batcher = new AckBatcher(opened, Math.max(1, prefetch / 4), prefetch / 2, ACK_MAX_HOLD,
                    ackFrameSent);
            ((Recoverable) opened).addRecoveryListener(new RecoveryListener() {
                @Override
                public void handleRecoveryStarted(Recoverable recoverable) {
                    batcher.reset();
                }

                @Override
                public void handleRecovery(Recoverable recoverable) {
                    batcher.reset();
                }
            });
            acks = batcher;
            Deliveries consumer = new Deliveries(opened, batcher, connection);
            opened.basicConsume(queue, false, channelName, consumer);
            deliveries = consumer;
            channel = opened;
            replaceFlushing(broker.scheduleAtFixedRate(() -> flushQuietly(batcher, false), ACK_FLUSH_INTERVAL));
            consuming = true;
            state = "consuming " + queue + " with prefetch " + prefetch;
            LOG.infof("Channel %s consumes %s (prefetch %d)", channelName, queue, prefetch);
        } catch (IOException | RuntimeException e) {
            abortQuietly(opened);
            String reason = e.getCause() != null ? e + " (" + e.getCause() + ")" : e.toString();
            state = "cannot consume " + queue + ": " + reason;
            LOG.errorf("Channel %s cannot consume %s (%s); retrying in %s", channelName, queue, reason, RESTART_DELAY);
            broker.schedule(() -> start(connection), RESTART_DELAY);
        }
    }

    private void replaceFlushing(ScheduledFuture<?> next) {
        ScheduledFuture<?> previous = flushing;
        flushing = next;
        if (previous != null) {
            previous.cancel(false);
        }
    }

    private void flushQuietly(AckBatcher batcher, boolean all) {
        try {
            if (all) {
                batcher.flushAll();
            } else {
                batcher.flush();
            }
        } catch (IOException | RuntimeException e) {
            // The channel is gone: its unacked deliveries go back to the queue and come again.
            batcher.reset();
            LOG.debugf("Flushing acks of %s failed: %s", channelName, e);
        }
    }

    /**
     * The first half of a graceful stop: asks the broker to send nothing more ({@code basic.cancel}) and waits
     * (until {@code deadlineNanos}) for its confirmation, after which every delivery already sent has been
     * handed to the listener. The deliveries in flight go on being processed and settled.
     */
    void stopConsuming(long deadlineNanos) {
        consuming = false;
        state = "stopping: finishing the messages in flight";
        Channel current = channel;
        Deliveries consumer = deliveries;
        if (current == null || consumer == null || !current.isOpen()) {
            return;
        }
        try {
            current.basicCancel(consumer.getConsumerTag());
            consumer.awaitCancelOk(deadlineNanos);
        } catch (IOException | RuntimeException e) {
            LOG.debugf("Cancelling consumer %s: %s", channelName, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The second half: waits (until {@code deadlineNanos}) until every delivery in flight is settled, sends
     * the acks and closes the channel. Returns how many were still unsettled (the broker redelivers those).
     */
    int drain(long deadlineNanos) {
        AckBatcher batcher = acks;
        int left = 0;
        if (batcher != null) {
            try {
                if (!batcher.awaitSettled(deadlineNanos)) {
                    left = batcher.inFlight();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                left = batcher.inFlight();
            }
        }
        stop();
        return left;
    }

    /** Deliveries received and not settled yet. */
    int inFlight() {
        AckBatcher batcher = acks;
        return batcher == null ? 0 : batcher.inFlight();
    }

    private void stop() {
        consuming = false;
        AckBatcher batcher = acks;
        if (batcher != null) {
            flushQuietly(batcher, true);
        }
        replaceFlushing(null);
        Channel current = channel;
        if (current != null && current.isOpen()) {
            try {
                current.close();
            } catch (IOException | java.util.concurrent.TimeoutException | RuntimeException e) {
                LOG.debugf("Closing channel %s: %s", channelName, e);
            }
        }
    }

    private final class Deliveries extends DefaultConsumer {

        private final AckBatcher batcher;
        private final Connection connection;
        private final CountDownLatch cancelled = new CountDownLatch(1);

        Deliveries(Channel channel, AckBatcher batcher, Connection connection) {
            super(channel);
            this.batcher = batcher;
            this.connection = connection;
        }

        @Override
        public void handleCancelOk(String consumerTag) {
            // Deliveries are dispatched in order: every one the broker sent before this has been handled.
            cancelled.countDown();
        }

        void awaitCancelOk(long deadlineNanos) throws InterruptedException {
            cancelled.await(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        }

        @Override
        public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
            Channel delivering = getChannel();
            ClientDelivery delivery = new ClientDelivery(queue, envelope.getExchange(), envelope.getRoutingKey(),
                    envelope.isRedeliver(), properties, delivering::isOpen);
            batcher.delivered(envelope.getDeliveryTag());
            emitter.emit(message(batcher, envelope.getDeliveryTag(), delivery, body));
        }

        @Override
        public void handleCancel(String consumerTag) {
            // The broker cancelled us: the queue was deleted, or its leader moved away for good.
            consuming = false;
            state = "consumer cancelled by the broker";
            LOG.errorf("The broker cancelled consumer %s of %s; consuming again in %s", channelName, queue, RESTART_DELAY);
            broker.schedule(() -> restart(getChannel(), connection), RESTART_DELAY);
        }

        @Override
        public void handleShutdownSignal(String consumerTag, ShutdownSignalException signal) {
            // A lost connection is recovered by the client; a channel closed by an error is not.
            if (signal.isHardError() || signal.isInitiatedByApplication()) {
                return;
            }
            consuming = false;
            if (ConsumerTimeout.closed(signal)) {
                consumerTimedOut.run();
                state = "channel closed by the broker's consumer_timeout: " + ConsumerTimeout.describe(signal);
                LOG.errorf("The broker closed channel %s: a delivery from %s stayed unacknowledged longer than the "
                        + "broker's consumer_timeout (%s). Its unacknowledged deliveries go back to the queue and come again, "
                        + "each one counted as an attempt; their processing still running here settles nothing. A processing "
                        + "step takes longer than consumer_timeout allows (docs/operations.md); consuming again in %s",
                        channelName, queue, ConsumerTimeout.describe(signal), RESTART_DELAY);
            } else {
                state = "channel closed: " + signal.getMessage();
                LOG.errorf("Channel %s was closed by the broker (%s); consuming again in %s", channelName,
                        signal.getMessage(), RESTART_DELAY);
            }
            broker.schedule(() -> restart(getChannel(), connection), RESTART_DELAY);
        }
    }

    /**
     * Consumes again on a new channel of {@code connection}, the (recovering) connection consuming started on: the
     * old channel's own {@code getConnection()} is the client's inner connection, whose channels cannot recover.
     */
    private void restart(Channel old, Connection connection) {
        abortQuietly(old);
        start(connection);
    }

    private void abortQuietly(Channel old) {
        try {
            if (old != null && old.isOpen()) {
                old.abort();
            }
        } catch (IOException | RuntimeException e) {
            LOG.debugf("Aborting channel %s: %s", channelName, e);
        }
    }

    private static Message<byte[]> message(AckBatcher batcher, long deliveryTag, ClientDelivery delivery, byte[] body) {
        AtomicBoolean settled = new AtomicBoolean();
        return Message.of(body, List.of(delivery),
                metadata -> settle(settled, () -> batcher.ack(deliveryTag)),
                (reason, metadata) -> settle(settled,
                        () -> batcher.reject(deliveryTag, metadata.get(RabbitMQRejectMetadata.class)
                                .map(RabbitMQRejectMetadata::isRequeue).orElse(false))));
    }

    private interface Settlement {
        void run() throws IOException;
    }

    /** Acking or rejecting twice closes the channel (PRECONDITION_FAILED), so only the first one goes out. */
    private static CompletionStage<Void> settle(AtomicBoolean settled, Settlement settlement) {
        if (!settled.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(null);
        }
        try {
            settlement.run();
            return CompletableFuture.completedFuture(null);
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
