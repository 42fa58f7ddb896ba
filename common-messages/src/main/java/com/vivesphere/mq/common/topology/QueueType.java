package com.vivesphere.mq.common.topology;

import java.util.Locale;

/** RabbitMQ queue type of the work and dead-letter queues ({@code x-queue-type}). */
public enum QueueType {
    CLASSIC,
    QUORUM;

    public String argument() {
        return name().toLowerCase(Locale.ROOT);
    }
}
