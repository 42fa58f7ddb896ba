package com.vivesphere.mq.cli;

import java.time.Duration;

import picocli.CommandLine.ITypeConverter;

/** Durations written as the apps' settings are: {@code 90s}, {@code 15m}, {@code 7d}, {@code 500ms} or ISO-8601. */
public class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        Duration duration = io.quarkus.runtime.configuration.DurationConverter.parseDuration(value.trim());
        if (duration == null || duration.isNegative()) {
            throw new IllegalArgumentException("not a duration: '" + value + "' (use e.g. 90s, 15m, 2h, 7d)");
        }
        return duration;
    }
}
