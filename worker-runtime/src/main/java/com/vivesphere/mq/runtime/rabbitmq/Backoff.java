package com.vivesphere.mq.runtime.rabbitmq;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Capped exponential backoff used for every reconnection: 0.5 s, 1 s, 2 s, 4 s, 8 s, then 10 s forever. The
 * cap bounds how long a worker stays away after its broker or database came back (the fault suite requires
 * at most 15 s, also after an outage of minutes); an attempt every 10 s costs the server nothing.
 */
public final class Backoff {

    public static final Duration FIRST = Duration.ofMillis(500);
    public static final Duration MAX = Duration.ofSeconds(10);

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
