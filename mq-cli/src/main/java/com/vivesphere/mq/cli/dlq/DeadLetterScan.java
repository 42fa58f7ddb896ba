package com.vivesphere.mq.cli.dlq;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import com.vivesphere.mq.common.publish.MessagePublisher;

/**
 * Reads a dead-letter queue without taking anything away and without changing its order: one consumer, no
 * ack, a prefetch as large as the queue was when the scan began, so the broker keeps every message
 * (unacknowledged) while the scan runs; the caller settles only the ones it moved elsewhere ({@link #settle})
 * and {@link #close()} hands all others back at once. Measured on RabbitMQ 3.10.8 (mq-cli/README.md):
 * <ul>
 * <li>classic queues put returned messages back in their original positions;</li>
 * <li>quorum queues put what a closed channel's consumer held back at the head, in delivery order, so a scan
 * of a quorum queue holds its whole snapshot before it hands anything back. Not {@code basic.get}: each get
 * is a consumer of its own there, and a closed channel returns them in another order; and not a
 * {@code basic.nack}, which on 3.10 re-enqueues at the tail (back-to-back scans came back rotated);</li>
 * <li>from RabbitMQ 4.3 on they are nacked with requeue, which does not count as a failed delivery (a closed
 * channel does).</li>
 * </ul>
 * Only the messages present when the scan began are read (the count of a passive declare), so a scan ends
 * even while dead letters keep arriving. A crash of mqctl has the same effect as {@link #close()}: the
 * broker returns what the connection held.
 *
 * <p>
 * Quorum queues count returned messages against their delivery limit (20 by default since 4.0) and drop a
 * message past it; the dead-letter queue has no dead-letter exchange of its own, so that would lose it. A
 * message whose {@code x-delivery-count} has come within 2 of the limit is therefore not returned but
 * re-enqueued as a fresh copy (publisher confirm first, then the ack): it moves to the tail, intact.
 */
public final class DeadLetterScan implements AutoCloseable {

    /** AMQP's largest prefetch count; 0 means no limit. */
    private static final int MAX_PREFETCH = 65_535;

    private final Connection connection;
    private final Channel channel;
    private final String queue;
    private final BrokerVersion version;
    private final long refreshAt;
    private final Duration timeout;
    private final boolean wholeSnapshot;
    private final long snapshot;
    private final BlockingQueue<GetResponse> delivered = new LinkedBlockingQueue<>();
    private final Map<Long, DeadLetter> nearLimit = new HashMap<>();
    private final List<String> warnings = new ArrayList<>();
    private boolean ended;
    private long taken;
    private long highestHeld;
    private long settled;
    private long refreshed;

    /**
     * @param quorum whether the queue is (or may be) a quorum queue
     * @param deliveryLimit the queue's delivery limit, or null for none
     * @param timeout how long to wait for the broker: a delivery, the confirm of a re-enqueued copy, the return
     */
    public DeadLetterScan(Connection connection, String queue, boolean quorum, Integer deliveryLimit, Duration timeout)
            throws IOException {
        this.connection = connection;
        this.wholeSnapshot = quorum;
        this.queue = queue;
        this.version = BrokerVersion.of(connection);
        this.refreshAt = deliveryLimit == null ? Long.MAX_VALUE : Math.max(0, deliveryLimit - 2);
        this.timeout = timeout;
        this.channel = connection.createChannel();
        AMQP.Queue.DeclareOk declared = channel.queueDeclarePassive(queue);
        this.snapshot = declared.getMessageCount();
        if (snapshot > 0) {
            channel.basicQos(snapshot <= MAX_PREFETCH ? (int) snapshot : 0);
            channel.basicConsume(queue, false, new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                    delivered.add(new GetResponse(envelope, properties, body, 0));
                }
            });
        }
    }

    public String queue() {
        return queue;
    }

    /** Ready messages when the scan began: it reads no more than these. */
    public long snapshot() {
        return snapshot;
    }

    /**
     * The next dead letter, held until {@link #settle} or {@link #close()}; null at the end, or when none came
     * within the timeout (fewer than the snapshot: expired, or taken by another consumer meanwhile).
     */
    public DeadLetter next() throws IOException {
        GetResponse response = taken < snapshot && !ended ? receive() : null;
        // Once one did not come in time, the scan waits no more (close() would otherwise wait again).
        ended = response == null;
        return ended ? null : hold(response);
    }

    private GetResponse receive() throws IOException {
        try {
            return delivered.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading " + queue);
        }
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
                while (next() != null) {
                    // held until the channel closes, so that all go back in one piece
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
     * The queue takes messages back asynchronously after the channel closed; a command that started before
     * it had would miss them. So a scan ends only once the queue holds at least what it held at the
     * start, less what was settled (newer arrivals can only add), or after the timeout (TTL or length limits
     * may have removed messages meanwhile).
     */
    private void awaitReturned() throws IOException, TimeoutException {
        long expected = snapshot - settled;
        long deadline = System.nanoTime() + timeout.toNanos();
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
        try (MessagePublisher publisher = new MessagePublisher(connection, timeout)) {
            for (DeadLetter letter : nearLimit.values().stream().sorted(Comparator.comparingLong(DeadLetter::position))
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
