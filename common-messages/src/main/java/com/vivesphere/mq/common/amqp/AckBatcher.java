package com.vivesphere.mq.common.amqp;

import java.io.IOException;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.Channel;

/**
 * Acknowledges one channel's deliveries in batches: one {@code basic.ack multiple=true} stands for every
 * delivery up to the oldest one still being processed, which saves the broker (sharing the machine's cores)
 * and the client a frame per message. Deliveries settled out of order behind a slow one are acked one by
 * one at the next flush, so a slow message never holds back the prefetch window. Rejects are sent at once.
 *
 * <p>
 * A multiple ack is always sent for a tag that is still outstanding (settled here, not yet acked), so the
 * broker never sees an unknown delivery tag. Thread-safe.
 */
final class AckBatcher {

    private final Channel channel;
    private final int batchSize;
    private final NavigableSet<Long> inFlight = new TreeSet<>();
    private final NavigableSet<Long> toAck = new TreeSet<>();

    AckBatcher(Channel channel, int batchSize) {
        this.channel = channel;
        this.batchSize = batchSize;
    }

    synchronized void delivered(long tag) {
        inFlight.add(tag);
    }

    synchronized void ack(long tag) throws IOException {
        if (inFlight.remove(tag)) {
            toAck.add(tag);
            notifyIfSettled();
            if (toAck.size() >= batchSize) {
                flush();
            }
        }
    }

    synchronized void reject(long tag, boolean requeue) throws IOException {
        if (inFlight.remove(tag)) {
            notifyIfSettled();
            channel.basicReject(tag, requeue);
        }
    }

    /** Deliveries not settled yet. */
    synchronized int inFlight() {
        return inFlight.size();
    }

    /**
     * Waits until every delivery is settled (acked or rejected here), at most until {@code deadlineNanos}
     * ({@link System#nanoTime()}); true when none is left.
     */
    synchronized boolean awaitSettled(long deadlineNanos) throws InterruptedException {
        while (!inFlight.isEmpty()) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    private void notifyIfSettled() {
        if (inFlight.isEmpty()) {
            notifyAll();
        }
    }

    /** Sends what is settled: one multiple ack below the oldest in-flight delivery, single acks above it. */
    synchronized void flush() throws IOException {
        if (toAck.isEmpty()) {
            return;
        }
        NavigableSet<Long> contiguous = inFlight.isEmpty() ? toAck : toAck.headSet(inFlight.first(), false);
        if (!contiguous.isEmpty()) {
            channel.basicAck(contiguous.last(), true);
            contiguous.clear();
        }
        for (Long tag : toAck) {
            channel.basicAck(tag, false);
        }
        toAck.clear();
    }

    /** After a connection recovery the broker redelivers whatever was unacked; old tags are void. */
    synchronized void reset() {
        inFlight.clear();
        toAck.clear();
        notifyAll();
    }
}
