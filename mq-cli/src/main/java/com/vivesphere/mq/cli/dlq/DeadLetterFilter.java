package com.vivesphere.mq.cli.dlq;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.vivesphere.mq.cli.DurationConverter;

import picocli.CommandLine.Option;

/** Which dead letters a command looks at; all options combine (and), repeated ones are alternatives (or). */
public class DeadLetterFilter {

    @Option(names = "--queue", paramLabel = "QUEUE", description = "Dead-lettered from this queue; repeatable.")
    List<String> queues = new ArrayList<>();

    @Option(names = "--reason", paramLabel = "REASON",
            description = "With this reason (schema-invalid, processing-failed, expired, rejected, …); repeatable.")
    List<String> reasons = new ArrayList<>();

    @Option(names = "--class", paramLabel = "CLASS",
            description = "Of this failure class (transient, throttled, permanent, expired, broker); repeatable.")
    List<String> classes = new ArrayList<>();

    @Option(names = "--error-type", paramLabel = "TYPE",
            description = "With this error type, full or simple class name; repeatable.")
    List<String> errorTypes = new ArrayList<>();

    @Option(names = "--older-than", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Dead-lettered longer ago than this (e.g. 2h, 3d).")
    Duration olderThan;

    @Option(names = "--newer-than", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Dead-lettered more recently than this.")
    Duration newerThan;

    public boolean isEmpty() {
        return queues.isEmpty() && reasons.isEmpty() && classes.isEmpty() && errorTypes.isEmpty() && olderThan == null
                && newerThan == null;
    }

    public boolean matches(DeadLetter letter, Instant now) {
        Duration age = letter.age(now);
        return (queues.isEmpty() || queues.contains(letter.originalQueue()))
                && (reasons.isEmpty() || reasons.contains(letter.reason()))
                && (classes.isEmpty() || classes.contains(letter.failureClass()))
                && (errorTypes.isEmpty() || errorTypes.stream().anyMatch(t -> isType(letter.errorType(), t)))
                && (olderThan == null || (age != null && age.compareTo(olderThan) > 0))
                && (newerThan == null || (age != null && age.compareTo(newerThan) < 0));
    }

    private static boolean isType(String actual, String wanted) {
        return actual != null && (actual.equals(wanted) || actual.endsWith("." + wanted) || actual.endsWith("$" + wanted));
    }
}
