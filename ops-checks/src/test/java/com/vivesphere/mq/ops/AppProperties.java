package com.vivesphere.mq.ops;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A worker's production configuration as its sources give it: its application.properties over worker-runtime's
 * META-INF/microprofile-config.properties, a {@code ${ENV:default}} resolved from the environment a deployment
 * sets (or its default), as Quarkus resolves it.
 */
final class AppProperties {

    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::([^}]*))?}");
    private static final Pattern QUARKUS_DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)?");

    private final Properties properties = new Properties();
    private final Map<String, String> environment;

    AppProperties(String app, Map<String, String> environment) {
        this.environment = environment;
        load("worker-runtime/src/main/resources/META-INF/microprofile-config.properties");
        load(app + "/src/main/resources/application.properties");
    }

    /** The production value of a property (profile-free), with {@code ${ENV:default}} resolved. */
    String value(String property) {
        String raw = properties.getProperty(property);
        if (raw == null) {
            throw new AssertionError("no property " + property + " in the app's configuration");
        }
        // An operator can set any property through its environment variable, as the deployment might.
        String fromEnvironment = environment.get(property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase());
        if (fromEnvironment != null) {
            return fromEnvironment;
        }
        Matcher reference = ENV_REFERENCE.matcher(raw);
        return reference.matches() ? environment.getOrDefault(reference.group(1), reference.group(2) == null ? "" : reference.group(2)) : raw;
    }

    /** A duration property, in Quarkus' notation ({@code 20s}, {@code 5m}, a bare number of seconds, or ISO-8601). */
    Duration duration(String property) {
        String value = value(property);
        Matcher shortForm = QUARKUS_DURATION.matcher(value);
        if (!shortForm.matches()) {
            return Duration.parse(value.startsWith("P") ? value : "PT" + value);
        }
        long amount = Long.parseLong(shortForm.group(1));
        return switch (shortForm.group(2) == null ? "s" : shortForm.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> Duration.ofSeconds(amount);
        };
    }

    /** A property that holds milliseconds (the REST client's timeouts). */
    Duration millis(String property) {
        return Duration.ofMillis(Long.parseLong(value(property)));
    }

    private void load(String relative) {
        try (Reader in = Files.newBufferedReader(Repo.path(relative))) {
            Properties read = new Properties();
            read.load(in);
            read.forEach(properties::put);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
