package com.vivesphere.mq.common.publish;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ReturnListener;
import com.vivesphere.mq.common.topology.DelayLevels;
import com.vivesphere.mq.common.topology.Topology;

/**
 * The publishing API: publishes on one channel in confirm mode without blocking. Each publish returns a
 * stage that completes when the broker confirmed the message (it is then as safe as the queue it was routed
 * to), or fails on a broker nack or a lost channel. The workers use it as it is; {@link MessagePublisher} is
 * its blocking form for tools and Java producers. Thread-safe.
 */
public final class ConfirmingPublisher implements AutoCloseable {

    private final ConcurrentNavigableMap<Long, CompletableFuture<Void>> pending = new ConcurrentSkipListMap<>();
    private final List<ReturnListener> returnListeners = new CopyOnWriteArrayList<>();
    private volatile Channel channel;

    /**
     * Called with every message published {@code mandatory} that the broker could not route, on the
     * connection's thread, before that message's confirm. Register before {@link #open(Connection)}.
     */
    public void onReturn(ReturnListener listener) {
        returnListeners.add(listener);
    }

    /** Opens the publishing channel; the RabbitMQ client re-opens it (confirm mode included) after a recovery. */
    public synchronized void open(Connection connection) throws IOException {
        Channel opened = connection.createChannel();
        opened.confirmSelect();
        opened.addConfirmListener(new ConfirmListener() {
            @Override
            public void handleAck(long tag, boolean multiple) {
                settle(tag, multiple, future -> future.complete(null));
            }

            @Override
            public void handleNack(long tag, boolean multiple) {
                settle(tag, multiple, future -> future.completeExceptionally(new IOException("broker nacked the message")));
            }
        });
        returnListeners.forEach(opened::addReturnListener);
        // Sequence numbers restart on a new channel: whatever was unconfirmed will never be confirmed.
        opened.addShutdownListener(cause -> failAll(cause));
        channel = opened;
    }

    public CompletionStage<Void> publish(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body) {
        return publish(exchange, routingKey, false, properties, body);
    }

    /** With {@code mandatory}, a message no queue takes is returned to the {@link #onReturn} listeners (and confirmed). */
    public synchronized CompletionStage<Void> publish(String exchange, String routingKey, boolean mandatory,
            AMQP.BasicProperties properties, byte[] body) {
        CompletableFuture<Void> confirmed = new CompletableFuture<>();
        Channel current = channel;
        if (current == null || !current.isOpen()) {
            confirmed.completeExceptionally(new IOException("no open channel to the broker"));
            return confirmed;
        }
        long sequence = current.getNextPublishSeqNo();
        pending.put(sequence, confirmed);
        try {
            current.basicPublish(exchange, routingKey, mandatory, properties, body);
        } catch (IOException | AlreadyClosedException e) {
            pending.remove(sequence);
            confirmed.completeExceptionally(e);
        }
        return confirmed;
    }

    /**
     * Publishes to {@code queue} through the delay levels: the broker holds the message for {@code delay}
     * (rounded up to whole seconds) and then routes it to the queue.
     *
     * @throws IllegalArgumentException when {@code queue} is not bound to the delay levels or the delay is too long
     */
    public CompletionStage<Void> publishDelayed(String queue, Duration delay, AMQP.BasicProperties properties, byte[] body) {
        if (!Topology.isDelayable(queue)) {
            // Not bound to the delivery exchange: the broker would drop it (and still confirm it).
            throw new IllegalArgumentException("queue " + queue + " cannot receive delayed messages; delayable: "
                    + Topology.DELAYABLE_QUEUES + " and the shards of " + Topology.LOG_QUEUE);
        }
        return publish(DelayLevels.entryExchange(), DelayLevels.routingKey(delay, queue), properties, body);
    }

    private void settle(long tag, boolean multiple, Consumer<CompletableFuture<Void>> outcome) {
        if (multiple) {
            Map<Long, CompletableFuture<Void>> settled = pending.headMap(tag, true);
            settled.values().forEach(outcome);
            settled.clear();
        } else {
            CompletableFuture<Void> future = pending.remove(tag);
            if (future != null) {
                outcome.accept(future);
            }
        }
    }

    @Override
    public synchronized void close() throws IOException {
        Channel current = channel;
        if (current != null && current.isOpen()) {
            try {
                current.close();
            } catch (TimeoutException e) {
                throw new IOException(e);
            }
        }
    }

    private void failAll(Exception cause) {
        pending.values().forEach(f -> f.completeExceptionally(new IOException("channel closed before the confirm", cause)));
        pending.clear();
    }
}
