package com.vivesphere.mq.common.amqp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Capped exponential backoff used for every reconnection: 0.5 s, 1 s, 2 s ... 30 s, then 30 s forever. */
public final class Backoff {

    public static final Duration FIRST = Duration.ofMillis(500);
    public static final Duration MAX = Duration.ofSeconds(30);

    private Backoff() {
    }

    public static Duration next(Duration previous) {
        Duration doubled = previous.multipliedBy(2);
        return doubled.compareTo(MAX) > 0 ? MAX : doubled;
    }

    /** The same sequence in milliseconds, for the RabbitMQ client's recovery (its last value repeats). */
    public static List<Long> sequenceMillis() {
        List<Long> delays = new ArrayList<>();
        for (Duration d = FIRST; ; d = next(d)) {
            delays.add(d.toMillis());
            if (d.equals(MAX)) {
                return delays;
            }
        }
    }
}
