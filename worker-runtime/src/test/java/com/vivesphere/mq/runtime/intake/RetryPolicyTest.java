package com.vivesphere.mq.runtime.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(6, Duration.ofSeconds(2), Duration.ofSeconds(30), 2, 10);

    @Test
    void theCapGrowsByTheMultiplierUpToTheMaximum() {
        assertThat(policy.cap(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.cap(2)).isEqualTo(Duration.ofSeconds(4));
        assertThat(policy.cap(4)).isEqualTo(Duration.ofSeconds(16));
        assertThat(policy.cap(5)).isEqualTo(Duration.ofSeconds(30));
        assertThat(policy.cap(60)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void fullJitterSpreadsOverTheWholeRangeButNeverBelowOneSecond() {
        RandomGenerator random = new SplittableRandom(42);
        long below = 0;
        long above = 0;
        for (int i = 0; i < 10_000; i++) {
            Duration delay = policy.backoff(3, random);
            assertThat(delay).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(8));
            if (delay.compareTo(Duration.ofSeconds(4)) < 0) {
                below++;
            } else {
                above++;
            }
        }
        // Uniform over [0, 8] s: about half the delays on each side of 4 s.
        assertThat(below).isBetween(4_500L, 5_500L);
        assertThat(above).isBetween(4_500L, 5_500L);
    }

    @Test
    void nonsensicalPoliciesAreRefused() {
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO, 2, 0))
                .hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofSeconds(10), Duration.ofSeconds(1), 2, 0))
                .hasMessageContaining("initialDelay");
        assertThatThrownBy(() -> new RetryPolicy(3, Duration.ZERO, Duration.ZERO, 0.5, 0))
                .hasMessageContaining("multiplier");
    }
}
