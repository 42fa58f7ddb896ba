package com.vivesphere.mq.common.topology;

import java.time.Duration;
import java.util.Locale;

/**
 * Delayed delivery without broker plugins, the way NServiceBus's RabbitMQ transport (and Celery 5.5) do it.
 * Level {@code N} is an exchange and a queue of the same name whose messages all live {@code 2^N} seconds
 * (one fixed TTL per queue, so they expire in FIFO order: no head-of-line blocking) and then dead-letter to
 * level {@code N-1}; level 0 dead-letters to {@link #DELIVERY_EXCHANGE}, which routes to the destination.
 *
 * <p>
 * The delay in whole seconds is written in binary in the routing key, most significant bit first, followed
 * by the destination queue: {@code b21.b20.….b0.<queue>}. Every message is published to the top level;
 * level {@code N} keeps it in its queue when bit {@code N} is 1 ({@code *.}×(21−N){@code 1.#}) and passes it
 * straight down otherwise ({@code *.}×(21−N){@code 0.#}, an exchange-to-exchange binding). Dead-lettering
 * keeps the routing key, so each level reads its own bit. At most {@value #LEVELS} hops; resolution 1 s;
 * longest delay {@code 2^22 − 1} s (48.5 days).
 */
public final class DelayLevels {

    public static final int LEVELS = 22;
    public static final long MAX_DELAY_SECONDS = (1L << LEVELS) - 1;
    public static final Duration MAX_DELAY = Duration.ofSeconds(MAX_DELAY_SECONDS);
    /** Where delayed messages leave the levels; each destination queue is bound with {@code #.<queue>}. */
    public static final String DELIVERY_EXCHANGE = "delay_delivery";

    private DelayLevels() {
    }

    /** Name of level {@code n}'s exchange and queue, e.g. {@code delay_level_06}. */
    public static String level(int n) {
        if (n < 0 || n >= LEVELS) {
            throw new IllegalArgumentException("no delay level " + n);
        }
        return String.format(Locale.ROOT, "delay_level_%02d", n);
    }

    /** The exchange every delayed message is published to. */
    public static String entryExchange() {
        return level(LEVELS - 1);
    }

    /** Whole seconds of a delay, rounded up so a message never arrives early; negative delays are 0. */
    public static long seconds(Duration delay) {
        if (delay.isNegative() || delay.isZero()) {
            return 0;
        }
        long seconds = delay.getSeconds() + (delay.getNano() > 0 ? 1 : 0);
        if (seconds > MAX_DELAY_SECONDS) {
            throw new IllegalArgumentException("delay " + delay + " exceeds the longest delay " + MAX_DELAY
                    + "; deliver in steps (re-delay on arrival)");
        }
        return seconds;
    }

    /** Routing key that delays a message by {@code delay} (rounded up to whole seconds) on its way to {@code queue}. */
    public static String routingKey(Duration delay, String queue) {
        long seconds = seconds(delay);
        StringBuilder key = new StringBuilder(2 * LEVELS + queue.length());
        for (int bit = LEVELS - 1; bit >= 0; bit--) {
            key.append((seconds >>> bit & 1) == 1 ? '1' : '0').append('.');
        }
        return key.append(queue).toString();
    }

    /** Binding pattern that matches routing keys whose bit {@code n} is {@code bit}. */
    static String bitPattern(int n, char bit) {
        return "*.".repeat(LEVELS - 1 - n) + bit + ".#";
    }
}
