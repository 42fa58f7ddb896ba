package com.vivesphere.mq.runtime.config;

import java.time.Duration;

import com.vivesphere.mq.runtime.intake.RetryPolicy;

import io.smallrye.config.WithDefault;

/** A config group ({@code <app>.retry.*}) for the {@link RetryPolicy} of an app's queues. */
public interface RetryConfig {

    @WithDefault("5")
    int maxAttempts();

    @WithDefault("2s")
    Duration initialDelay();

    @WithDefault("5m")
    Duration maxDelay();

    @WithDefault("2")
    double multiplier();

    @WithDefault("100")
    int maxThrottledRetries();

    default RetryPolicy policy() {
        return new RetryPolicy(maxAttempts(), initialDelay(), maxDelay(), multiplier(), maxThrottledRetries());
    }
}
