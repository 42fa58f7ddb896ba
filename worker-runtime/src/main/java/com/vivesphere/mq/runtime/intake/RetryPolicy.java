package com.vivesphere.mq.runtime.intake;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Retry budget and backoff of one queue.
 *
 * @param maxAttempts processing attempts before a transiently failing message is dead-lettered (1 = no retry)
 * @param initialDelay backoff cap after the first failure
 * @param maxDelay largest backoff cap
 * @param multiplier growth of the cap per failed attempt
 * @param maxThrottledRetries throttled retries (which do not use the attempt budget) before dead-lettering
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay, double multiplier,
        int maxThrottledRetries) {

    /** Delays are whole seconds (the resolution of the delay levels); a retry never comes back at once. */
    static final Duration SHORTEST_DELAY = Duration.ofSeconds(1);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        if (multiplier < 1) {
            throw new IllegalArgumentException("multiplier must be at least 1, was " + multiplier);
        }
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("need 0 <= initialDelay <= maxDelay, got " + initialDelay + ", " + maxDelay);
        }
        if (maxThrottledRetries < 0) {
            throw new IllegalArgumentException("maxThrottledRetries must not be negative");
        }
    }

    /** The backoff cap after {@code failedAttempts} failures: initialDelay × multiplier^(failedAttempts−1), at most maxDelay. */
    public Duration cap(int failedAttempts) {
        double millis = initialDelay.toMillis() * Math.pow(multiplier, Math.max(0, failedAttempts - 1));
        return millis >= maxDelay.toMillis() ? maxDelay : Duration.ofMillis((long) millis);
    }

    /** Full jitter: uniform in [0, cap], then at least {@link #SHORTEST_DELAY}. */
    public Duration backoff(int failedAttempts, RandomGenerator random) {
        long capMillis = cap(failedAttempts).toMillis();
        Duration jittered = Duration.ofMillis(capMillis == 0 ? 0 : random.nextLong(capMillis + 1));
        return jittered.compareTo(SHORTEST_DELAY) < 0 ? SHORTEST_DELAY : jittered;
    }
}
