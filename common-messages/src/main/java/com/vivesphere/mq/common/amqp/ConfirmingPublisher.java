package com.vivesphere.mq.common.amqp;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;

/**
 * Publishes on one channel in confirm mode without blocking: each publish returns a stage that completes
 * when the broker confirmed the message (it is then as safe as the queue it was routed to), or fails on a
 * broker nack or a lost channel. Thread-safe.
 */
public final class ConfirmingPublisher {

    private final ConcurrentNavigableMap<Long, CompletableFuture<Void>> pending = new ConcurrentSkipListMap<>();
    private volatile Channel channel;

    /** Opens the publishing channel; the RabbitMQ client re-opens it (confirm mode included) after a recovery. */
    synchronized void open(Connection connection) throws IOException {
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
        // Sequence numbers restart on a new channel: whatever was unconfirmed will never be confirmed.
        opened.addShutdownListener(cause -> failAll(cause));
        channel = opened;
    }

    public synchronized CompletionStage<Void> publish(String exchange, String routingKey, AMQP.BasicProperties properties,
            byte[] body) {
        CompletableFuture<Void> confirmed = new CompletableFuture<>();
        Channel current = channel;
        if (current == null || !current.isOpen()) {
            confirmed.completeExceptionally(new IOException("no open channel to the broker"));
            return confirmed;
        }
        long sequence = current.getNextPublishSeqNo();
        pending.put(sequence, confirmed);
        try {
            current.basicPublish(exchange, routingKey, false, properties, body);
        } catch (IOException | AlreadyClosedException e) {
            pending.remove(sequence);
            confirmed.completeExceptionally(e);
        }
        return confirmed;
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

    private void failAll(Exception cause) {
        pending.values().forEach(f -> f.completeExceptionally(new IOException("channel closed before the confirm", cause)));
        pending.clear();
    }
}
