package com.vivesphere.mq.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class SmallRyeChannelGuardTest {

    @Test
    void aPrefetchWithinTheBufferIsAccepted() {
        assertThat(SmallRyeChannelGuard.problem("log-events", Optional.of(256), 256)).isEmpty();
        assertThat(SmallRyeChannelGuard.problem("log-events", Optional.of(1), 256)).isEmpty();
    }

    @Test
    void aPrefetchBeyondTheBufferIsRefusedWithWhatToSet() {
        assertThat(SmallRyeChannelGuard.problem("log-events", Optional.of(1000), 256)).hasValueSatisfying(problem -> assertThat(problem)
                .contains("log-events", "max-outstanding-messages between 1 and 256", "not 1000"));
    }

    @Test
    void noPrefetchMeansNoLimitAndIsRefused() {
        assertThat(SmallRyeChannelGuard.problem("bot-actions", Optional.empty(), 256))
                .hasValueSatisfying(problem -> assertThat(problem).contains("unset (no limit)"));
        assertThat(SmallRyeChannelGuard.problem("bot-actions", Optional.of(0), 256)).isPresent();
    }
}
