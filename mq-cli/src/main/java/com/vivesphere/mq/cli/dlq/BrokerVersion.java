package com.vivesphere.mq.cli.dlq;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.rabbitmq.client.Connection;

/** The RabbitMQ version a connection reports, for the behaviours that changed between releases. */
record BrokerVersion(int major, int minor, String text) {

    private static final Pattern MAJOR_MINOR = Pattern.compile("^(\\d+)\\.(\\d+)");

    static BrokerVersion of(Connection connection) {
        Object version = connection.getServerProperties().get("version");
        String text = version == null ? "unknown" : version.toString();
        Matcher matcher = MAJOR_MINOR.matcher(text);
        return matcher.find() ? new BrokerVersion(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)), text)
                : new BrokerVersion(0, 0, text);
    }

    boolean atLeast(int wantMajor, int wantMinor) {
        return major > wantMajor || (major == wantMajor && minor >= wantMinor);
    }

    /**
     * From 4.3 on, {@code basic.nack} with requeue returns a message without counting a failed delivery, while
     * a closed channel counts one; before 4.3 both count, and on 3.x quorum queues without a delivery limit a
     * nack sends the message to the back of the queue while a closed channel puts it back at the head.
     */
    boolean releasesByNack() {
        return atLeast(4, 3);
    }

    /** Quorum queues have a delivery limit of 20 by default from 4.0 on (none before). */
    boolean quorumDefaultDeliveryLimit() {
        return atLeast(4, 0);
    }
}
