package com.vivesphere.mq.cli.dlq;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.vivesphere.mq.common.publish.MessagePublisher;

/**
 * Reads a dead-letter queue without taking anything away: each message is fetched with {@code basic.get}
 * and no ack, so the broker keeps it (unacknowledged) while the scan runs; the caller settles only the ones
 * it moved elsewhere ({@link #settle}) and {@link #close()} hands all others back to the queue, where they
 * were:
 * <ul>
 * <li>classic queues put requeued messages back in their original positions;</li>
 * <li>quorum queues serve returned messages before the others, in the order they were returned, and a
 * message returned again goes behind those already returned: so a scan of a quorum queue always holds the
 * whole snapshot before it hands anything back, even when the command needed fewer messages, and the
 * messages go back in their order;</li>
 * <li>before RabbitMQ 4.3 they are handed back by closing the channel (a {@code basic.nack} would send them
 * to the back of a 3.x quorum queue that has no delivery limit); from 4.3 on they are nacked with requeue,
 * which does not count as a failed delivery (a closed channel does).</li>
 * </ul>
 * Only the messages present when the scan began are read (the count of a passive declare), so a scan ends
 * even while dead letters keep arriving. A crash of mqctl has the same effect as {@link #close()}: the
 * broker requeues what the connection held.
 *
 * <p>
 * Quorum queues count returned messages against their delivery limit (20 by default since 4.0) and drop a
 * message past it; the dead-letter queue has no dead-letter exchange of its own, so that would lose it. A
 * message whose {@code x-delivery-count} has come within 2 of the limit is therefore not returned but
 * re-enqueued as a fresh copy (publisher confirm first, then the ack): it moves to the tail, intact.
 */
public final class DeadLetterScan implements AutoCloseable {

    private final Connection connection;
    private final Channel channel;
    private final String queue;
    private final BrokerVersion version;
    private final long refreshAt;
    private final Duration confirmTimeout;
    private final boolean wholeSnapshot;
    private final long snapshot;
    private final Map<Long, DeadLetter> nearLimit = new HashMap<>();
    private final List<String> warnings = new ArrayList<>();
    private long taken;
    private long highestHeld;
    private long settled;
    private long refreshed;

    /**
     * @param quorum whether the queue is (or may be) a quorum queue
     * @param deliveryLimit the queue's delivery limit, or null for none
     */
    public DeadLetterScan(Connection connection, String queue, boolean quorum, Integer deliveryLimit, Duration confirmTimeout)
            throws IOException {
        this.connection = connection;
        this.wholeSnapshot = quorum;
        this.queue = queue;
        this.version = BrokerVersion.of(connection);
        this.refreshAt = deliveryLimit == null ? Long.MAX_VALUE : Math.max(0, deliveryLimit - 2);
        this.confirmTimeout = confirmTimeout;
        this.channel = connection.createChannel();
        AMQP.Queue.DeclareOk declared = channel.queueDeclarePassive(queue);
        this.snapshot = declared.getMessageCount();
    }

    public String queue() {
        return queue;
    }

    /** Ready messages when the scan began: it reads no more than these. */
    public long snapshot() {
        return snapshot;
    }

    /** The next dead letter, held until {@link #settle} or {@link #close()}; null at the end. */
    public DeadLetter next() throws IOException {
        GetResponse response = taken < snapshot ? channel.basicGet(queue, false) : null;
        return response == null ? null : hold(response);
    }

    private DeadLetter hold(GetResponse response) {
        taken++;
        DeadLetter letter = DeadLetter.of(response, taken);
        highestHeld = Math.max(highestHeld, letter.deliveryTag());
        if (letter.deliveryCount() >= refreshAt) {
            nearLimit.put(letter.deliveryTag(), letter);
        }
        return letter;
    }

    /** Removes {@code letter} from the queue: call only once it is safe elsewhere (confirmed) or meant to go. */
    public void settle(DeadLetter letter) throws IOException {
        channel.basicAck(letter.deliveryTag(), false);
        nearLimit.remove(letter.deliveryTag());
        settled++;
    }

    public long taken() {
        return taken;
    }

    public long settled() {
        return settled;
    }

    /** Dead letters re-enqueued as fresh copies because their delivery count neared the queue's limit. */
    public long refreshed() {
        return refreshed;
    }

    public List<String> warnings() {
        return warnings;
    }

    @Override
    public void close() throws IOException {
        if (!channel.isOpen()) {
            return;
        }
        try {
            if (wholeSnapshot) {
                GetResponse rest;
                while (taken < snapshot && (rest = channel.basicGet(queue, false)) != null) {
                    hold(rest);
                }
            }
            refreshNearLimit();
            if (version.releasesByNack() && highestHeld > 0) {
                channel.basicNack(highestHeld, true, true);
            }
            channel.close();
            if (taken > settled) {
                awaitReturned();
            }
        } catch (TimeoutException e) {
            throw new IOException("timed out handing the dead letters back", e);
        }
    }

    /**
     * The queue takes messages back asynchronously after the channel closed; a scan that started before it
     * had would read the queue rotated. So a scan ends only once the queue holds at least what it held at the
     * start, less what was settled (newer arrivals can only add), or after the timeout (TTL or length limits
     * may have removed messages meanwhile).
     */
    private void awaitReturned() throws IOException, TimeoutException {
        long expected = snapshot - settled;
        long deadline = System.nanoTime() + confirmTimeout.toNanos();
        try (Channel check = connection.createChannel()) {
            while (check.queueDeclarePassive(queue).getMessageCount() < expected && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void refreshNearLimit() {
        if (nearLimit.isEmpty()) {
            return;
        }
        try (MessagePublisher publisher = new MessagePublisher(connection, confirmTimeout)) {
            for (DeadLetter letter : nearLimit.values().stream().sorted(java.util.Comparator.comparingLong(DeadLetter::position))
                    .toList()) {
                Map<String, Object> headers = new HashMap<>(letter.headers());
                headers.remove("x-delivery-count");
                headers.remove("x-acquired-count");
                publisher.publishRaw("", queue, letter.properties().builder().headers(headers).build(), letter.body());
                publisher.awaitConfirms();
                channel.basicAck(letter.deliveryTag(), false);
                refreshed++;
            }
        } catch (IOException e) {
            warnings.add("could not re-enqueue dead letters close to the delivery limit (" + e.getMessage()
                    + "); they were returned and each return counts against the limit");
        }
        nearLimit.clear();
    }
}
