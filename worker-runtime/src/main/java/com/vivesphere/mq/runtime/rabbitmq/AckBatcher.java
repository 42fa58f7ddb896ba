package com.vivesphere.mq.runtime.rabbitmq;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import com.rabbitmq.client.Channel;

/**
 * Acknowledges one channel's deliveries in batches: one {@code basic.ack multiple=true} stands for every
 * delivery up to the oldest one still being processed, which saves the broker (sharing the machine's cores)
 * and the client a frame per message. Deliveries settled out of order behind one still in flight (a batch
 * stored before the older batch beside it) are held, so that one multiple ack covers both once the older
 * one settles; they are acked one by one only when they have waited {@code maxHold}, or when more than
 * {@code maxHeld} are held, so a slow message never holds back the prefetch window for long. Rejects are
 * sent at once.
 *
 * <p>
 * A multiple ack is always sent for a tag that is still outstanding (settled here, not yet acked), so the
 * broker never sees an unknown delivery tag. Thread-safe.
 *
 * <p>
 * A channel's delivery tags count up by one, so the state of the window from the oldest tracked tag to the
 * newest is kept in a ring of bytes indexed by tag: no boxing and no tree per message (this runs for every
 * delivery). The ring grows while one delivery stays in flight behind many settled ones.
 */
final class AckBatcher {

    private static final byte SETTLED = 0;
    private static final byte IN_FLIGHT = 1;
    private static final byte TO_ACK = 2;

    private final Channel channel;
    private final int batchSize;
    private final int maxHeld;
    private final long maxHoldNanos;
    private final LongSupplier clock;
    /** Called once per ack frame sent: the frames, not the messages, are what cost the broker. */
    private final Runnable frameSent;
    private byte[] states = new byte[1024];
    /** Tag at {@link #head}; the window holds the tags {@code first .. first + size - 1}. */
    private long first;
    private int head;
    private int size;
    private int pending;
    /** Of the pending ones, those held behind an in-flight delivery at the last flush. */
    private int held;
    /** When the held ones started waiting ({@link #clock}); meaningful while {@link #held} is positive. */
    private long heldSince;
    private int inFlight;
    /** The oldest tag waiting for an ack since the last flush: where the flush starts looking. */
    private long oldestPending = Long.MAX_VALUE;

    AckBatcher(Channel channel, int batchSize, int maxHeld, Duration maxHold, Runnable frameSent) {
        this(channel, batchSize, maxHeld, maxHold, frameSent, System::nanoTime);
    }

    AckBatcher(Channel channel, int batchSize, int maxHeld, Duration maxHold, Runnable frameSent, LongSupplier clock) {
        this.channel = channel;
        this.batchSize = batchSize;
        this.maxHeld = maxHeld;
        this.maxHoldNanos = maxHold.toNanos();
        this.frameSent = frameSent;
        this.clock = clock;
    }

    synchronized void delivered(long tag) {
        if (size == 0) {
            first = tag;
            head = 0;
        } else if (tag < first + size) {
            return; // not a new tag (tags only grow on a channel)
        }
        int newSize = (int) (tag - first + 1);
        ensureCapacity(newSize);
        for (long gap = first + size; gap < tag; gap++) {
            states[index(gap)] = SETTLED;
        }
        states[index(tag)] = IN_FLIGHT;
        size = newSize;
        inFlight++;
    }

    synchronized void ack(long tag) throws IOException {
        if (state(tag) == IN_FLIGHT) {
            states[index(tag)] = TO_ACK;
            settledOne();
            pending++;
            oldestPending = Math.min(oldestPending, tag);
            if (pending - held >= batchSize) {
                flush();
            }
        }
    }

    synchronized void reject(long tag, boolean requeue) throws IOException {
        if (state(tag) == IN_FLIGHT) {
            states[index(tag)] = SETTLED;
            settledOne();
            channel.basicReject(tag, requeue);
            frameSent.run();
            dropSettledHead();
        }
    }

    /** Deliveries not settled yet. */
    synchronized int inFlight() {
        return inFlight;
    }

    /**
     * Waits until every delivery is settled (acked or rejected here), at most until {@code deadlineNanos}
     * ({@link System#nanoTime()}); true when none is left.
     */
    synchronized boolean awaitSettled(long deadlineNanos) throws InterruptedException {
        while (inFlight > 0) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    private void settledOne() {
        inFlight--;
        if (inFlight == 0) {
            notifyAll();
        }
    }

    /**
     * Sends what is settled: one multiple ack below the oldest in-flight delivery; single acks above it once
     * they have been held too long or too many are held.
     */
    synchronized void flush() throws IOException {
        flush(false);
    }

    /** Sends every settled delivery's ack now, held ones too: before the channel closes. */
    synchronized void flushAll() throws IOException {
        flush(true);
    }

    private void flush(boolean all) throws IOException {
        if (pending == 0) {
            return;
        }
        long end = first + size;
        long tag = first;
        long lastBeforeInFlight = -1;
        int acked = 0;
        while (tag < end && states[index(tag)] != IN_FLIGHT) {
            if (states[index(tag)] == TO_ACK) {
                lastBeforeInFlight = tag;
                states[index(tag)] = SETTLED;
                acked++;
            }
            tag++;
        }
        if (lastBeforeInFlight >= 0) {
            channel.basicAck(lastBeforeInFlight, true);
            frameSent.run();
        }
        pending -= acked;
        long now = clock.getAsLong();
        if (pending > 0 && held == 0) {
            heldSince = now;
        }
        if (all || pending > maxHeld || (pending > 0 && now - heldSince >= maxHoldNanos)) {
            for (tag = Math.max(tag, oldestPending); tag < end; tag++) {
                if (states[index(tag)] == TO_ACK) {
                    channel.basicAck(tag, false);
                    frameSent.run();
                    states[index(tag)] = SETTLED;
                }
            }
            pending = 0;
        }
        held = pending;
        oldestPending = pending == 0 ? Long.MAX_VALUE : Math.max(oldestPending, tag);
        dropSettledHead();
    }

    /** After a connection recovery the broker redelivers whatever was unacked; old tags are void. */
    synchronized void reset() {
        size = 0;
        pending = 0;
        held = 0;
        inFlight = 0;
        oldestPending = Long.MAX_VALUE;
        notifyAll();
    }

    private byte state(long tag) {
        return tag >= first && tag < first + size ? states[index(tag)] : SETTLED;
    }

    private int index(long tag) {
        return (int) ((head + (tag - first)) & (states.length - 1));
    }

    /** Forgets the settled deliveries at the old end of the window. */
    private void dropSettledHead() {
        while (size > 0 && states[head] == SETTLED) {
            head = (head + 1) & (states.length - 1);
            first++;
            size--;
        }
    }

    private void ensureCapacity(int needed) {
        if (needed <= states.length) {
            return;
        }
        int capacity = states.length;
        while (capacity < needed) {
            capacity <<= 1;
        }
        byte[] grown = new byte[capacity];
        for (int i = 0; i < size; i++) {
            grown[i] = states[(head + i) & (states.length - 1)];
        }
        states = grown;
        head = 0;
    }
}
