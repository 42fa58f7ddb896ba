package com.vivesphere.mq.runtime.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ShutdownSignalException;

/**
 * Recognises the channel close of RabbitMQ's {@code consumer_timeout}: a delivery stayed unacknowledged longer than
 * the broker allows, so it closed the channel with {@code 406 PRECONDITION_FAILED - delivery acknowledgement on
 * channel N timed out. Timeout value used: T ms...} and put the channel's unacknowledged deliveries back in their
 * queues. The reply code alone also means other faults (a double ack), hence the text.
 */
final class ConsumerTimeout {

    private static final int PRECONDITION_FAILED = 406;
    private static final String MARKER = "delivery acknowledgement on channel";

    private ConsumerTimeout() {
    }

    static boolean closed(ShutdownSignalException signal) {
        return signal.getReason() instanceof AMQP.Channel.Close close && close.getReplyCode() == PRECONDITION_FAILED
                && close.getReplyText() != null && close.getReplyText().contains(MARKER)
                && close.getReplyText().contains("timed out");
    }

    /** The broker's words, from the delivery on: "delivery acknowledgement on channel 1 timed out. Timeout value used: 5000 ms". */
    static String describe(ShutdownSignalException signal) {
        String text = ((AMQP.Channel.Close) signal.getReason()).getReplyText();
        int from = text.indexOf(MARKER);
        int to = text.indexOf(" ms", from);
        return to < 0 ? text.substring(from) : text.substring(from, to + " ms".length());
    }
}
