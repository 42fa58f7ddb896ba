package com.vivesphere.mq.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One service of docker-compose.yml as Compose would run it, for a test that runs its container without Compose:
 * how its image is built, its environment with the variables filled in from an {@code .env} of the test's own, its
 * secrets' files and mount points, its health check, start period, stop grace period and memory limit.
 */
record ComposeService(String name, JsonNode service, JsonNode compose) {

    static final String FILE = "docker-compose.yml";
    /** Compose's default when a service sets no stop_grace_period. */
    static final Duration DEFAULT_STOP_GRACE_PERIOD = Duration.ofSeconds(10);
    /** $$ (a literal $), ${NAME}, ${NAME:-default} and the like, or $NAME. */
    private static final Pattern VARIABLE = Pattern.compile(
            "\\$(?:\\$|\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}|([A-Za-z_][A-Za-z0-9_]*))");
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|us|h|m|s)");
    private static final Pattern MEMORY = Pattern.compile("(\\d+)([bkmg]?)", Pattern.CASE_INSENSITIVE);

    static ComposeService of(String name) {
        JsonNode compose = Repo.yaml(FILE);
        JsonNode service = compose.path("services").path(name);
        if (service.isMissingNode()) {
            throw new IllegalArgumentException(FILE + " has no service " + name);
        }
        return new ComposeService(name, service, compose);
    }

    Path buildContext() {
        return Repo.path(service.path("build").path("context").asText());
    }

    /** The Dockerfile, relative to the build context as Compose resolves it. */
    Path dockerfile() {
        return buildContext().resolve(service.path("build").path("dockerfile").asText("Dockerfile"));
    }

    Map<String, String> buildArgs() {
        Map<String, String> args = new LinkedHashMap<>();
        service.path("build").path("args").properties().forEach(e -> args.put(e.getKey(), e.getValue().asText()));
        return args;
    }

    /** The service's environment with every ${VAR...} resolved against {@code dotEnv}, as Compose does with .env. */
    Map<String, String> environment(Map<String, String> dotEnv) {
        Map<String, String> environment = new LinkedHashMap<>();
        service.path("environment").properties()
                .forEach(e -> environment.put(e.getKey(), interpolate(e.getValue().asText(), dotEnv)));
        return environment;
    }

    /**
     * Host file to container path of each secret the service uses: {@code /run/secrets/NAME} (short syntax) or its
     * {@code target}; a secret whose source is a variable of {@code dotEnv} ({@code environment:}) is written into
     * a file of its own in {@code scratch}, readable by the image's user, as Compose creates it.
     */
    Map<Path, String> secretMounts(Map<String, String> dotEnv, Path scratch) {
        Map<Path, String> mounts = new LinkedHashMap<>();
        for (JsonNode use : service.path("secrets")) {
            String secret = use.isTextual() ? use.asText() : use.path("source").asText();
            String target = use.path("target").asText("/run/secrets/" + secret);
            JsonNode definition = compose.path("secrets").path(secret);
            if (definition.has("environment")) {
                mounts.put(written(scratch, secret, dotEnv.get(definition.path("environment").asText())), target);
            } else {
                mounts.put(Repo.path(interpolate(definition.path("file").asText(), dotEnv)), target);
            }
        }
        return mounts;
    }

    private static Path written(Path scratch, String secret, String value) {
        if (value == null) {
            throw new IllegalArgumentException("the .env has no value for secret " + secret);
        }
        try {
            Path file = Files.createDirectories(scratch).resolve(secret);
            Files.writeString(file, value);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The health check's command as the container runs it: the words after CMD, interpolated as Compose does. */
    List<String> healthCheckCommand(Map<String, String> dotEnv) {
        List<String> test = ComposeFileTest.strings(service.path("healthcheck").path("test"));
        if (test.isEmpty() || !test.get(0).equals("CMD")) {
            throw new IllegalStateException(name + "'s health check is not of the form [\"CMD\", ...]: " + test);
        }
        return test.subList(1, test.size()).stream().map(word -> interpolate(word, dotEnv)).toList();
    }

    Duration healthCheckStartPeriod() {
        return duration(service.path("healthcheck").path("start_period").asText("0s"));
    }

    Duration stopGracePeriod() {
        JsonNode period = service.path("stop_grace_period");
        return period.isMissingNode() ? DEFAULT_STOP_GRACE_PERIOD : duration(period.asText());
    }

    /** deploy.resources.limits.memory in bytes. */
    long memoryLimitBytes() {
        String limit = service.path("deploy").path("resources").path("limits").path("memory").asText();
        Matcher memory = MEMORY.matcher(limit);
        if (!memory.matches()) {
            throw new IllegalStateException(name + " memory limit " + limit);
        }
        int shift = switch (memory.group(2).toLowerCase()) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
        };
        return Long.parseLong(memory.group(1)) << shift;
    }

    /** A Compose duration such as 1m30s, 60s or 500ms. */
    static Duration duration(String text) {
        Matcher part = DURATION_PART.matcher(text);
        Duration total = Duration.ZERO;
        int end = 0;
        while (part.find() && part.start() == end) {
            double amount = Double.parseDouble(part.group(1));
            long nanos = (long) (amount * switch (part.group(2)) {
                case "h" -> 3.6e12;
                case "m" -> 6e10;
                case "s" -> 1e9;
                case "ms" -> 1e6;
                default -> 1e3;
            });
            total = total.plusNanos(nanos);
            end = part.end();
        }
        if (end == 0 || end != text.length()) {
            throw new IllegalArgumentException("not a Compose duration: " + text);
        }
        return total;
    }

    /**
     * $$, $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, as Compose fills them in (an
     * unset variable is empty).
     */
    static String interpolate(String value, Map<String, String> dotEnv) {
        Matcher variable = VARIABLE.matcher(value);
        StringBuilder result = new StringBuilder();
        while (variable.find()) {
            if (variable.group().equals("$$")) {
                variable.appendReplacement(result, Matcher.quoteReplacement("$"));
                continue;
            }
            String name = variable.group(1) != null ? variable.group(1) : variable.group(4);
            String operator = variable.group(2);
            String set = dotEnv.get(name);
            boolean colon = operator != null && operator.startsWith(":");
            boolean missing = set == null || colon && set.isEmpty();
            String replacement;
            if (!missing || operator == null) {
                replacement = set == null ? "" : set;
            } else if (operator.endsWith("-")) {
                replacement = variable.group(3);
            } else {
                throw new IllegalArgumentException("required variable " + name + " is not set: " + variable.group(3));
            }
            variable.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        return variable.appendTail(result).toString();
    }
}
