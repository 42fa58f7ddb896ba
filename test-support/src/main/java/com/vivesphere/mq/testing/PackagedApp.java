package com.vivesphere.mq.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.core.ConditionTimeoutException;

/**
 * One packaged application run as a child JVM, as in production: a worker's fast-jar ({@code quarkus-run.jar},
 * from its directory with the class-data archive made at packaging), the image's JVM options
 * ({@link ProductionJvm}) and the production profile, configured only through its environment (nothing of the
 * test JVM's own leaks in). The test can wait for it to be ready, kill it ({@code SIGKILL}), stop it
 * ({@code SIGTERM}), and read its health, metrics, log and memory. Used by the integration tests, the fault suite
 * and the bench alike.
 */
public final class PackagedApp implements AutoCloseable {

    public enum App {
        LOG_CONSUMER("log-consumer", "LOG_EVENTS", "URGENT_LOG_EVENTS"),
        BOT_ACTION_WORKER("bot-action-worker", "BOT_ACTIONS");

        private final String module;
        /** The incoming channels, as their names appear in environment variables. */
        private final List<String> channels;

        App(String module, String... channels) {
            this.module = module;
            this.channels = List.of(channels);
        }

        /**
         * The environment that puts every channel on {@code connector}, as a user switches it: the connector, and
         * for smallrye-rabbitmq a prefetch it can take (SmallRyeChannelGuard) where the default is larger
         * (log-consumer's; bot-action-worker's is within it).
         */
        public Map<String, String> connectorEnvironment(String connector) {
            Map<String, String> env = new LinkedHashMap<>();
            channels.forEach(channel -> env.put("MP_MESSAGING_INCOMING_" + channel + "_CONNECTOR", connector));
            if (connector.equals(SmallRyeRabbitMQ.CONNECTOR) && this == LOG_CONSUMER) {
                env.put("LOG_CONSUMER_PREFETCH", "256");
            }
            return env;
        }

        public String module() {
            return module;
        }

        public Path jar() {
            return ProjectRoot.resolve(module + "/target/quarkus-app/quarkus-run.jar");
        }
    }

    /** The workers' default connector, the project's own. */
    public static final String CLIENT_CONNECTOR = "vivesphere-rabbitmq-client";
    /**
     * The connector every channel of a started worker consumes through: the default, or another one for a whole
     * run ({@code -Dapps.connector=smallrye-rabbitmq}: the fault suite's comparison of the two connectors, docs/connectors.md).
     */
    public static final String CONNECTOR = System.getProperty("apps.connector", CLIENT_CONNECTOR);
    /** Made at packaging ({@code quarkus.package.jar.appcds.enabled}); it records the jar's path as the command names it. */
    private static final String CDS_ARCHIVE = "app-cds.jsa";
    /** Processes still running when the test JVM exits (a test interrupted by its timeout) are killed. */
    private static final java.util.Set<Process> RUNNING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "kill-packaged-apps"));
    }
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final int port;
    private final Path log;
    private final long startNanos;

    private PackagedApp(String name, Process process, int port, Path log, long startNanos) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
        this.startNanos = startNanos;
    }

    /** Starts {@code app} with {@code environment} (plus its HTTP port), its output going to {@code log}. */
    public static PackagedApp start(App app, Map<String, String> environment, Path log) {
        return start(app, ProductionJvm.OPTIONS, environment, log);
    }

    public static PackagedApp start(App app, List<String> jvmOptions, Map<String, String> environment, Path log) {
        Map<String, String> env = new LinkedHashMap<>(app.connectorEnvironment(CONNECTOR));
        env.putAll(environment);
        return start(app.module(), app.jar(), jvmOptions, env, log);
    }

    /**
     * Starts any packaged jar (the bench's Spring Boot peer too) from its directory, with the class-data archive
     * beside it when there is one; {@code QUARKUS_HTTP_PORT} is a free port unless the environment sets it.
     */
    public static PackagedApp start(String name, Path jar, List<String> jvmOptions, Map<String, String> environment,
            Path log) {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: package the applications first (./mvnw -B package -DskipTests)");
        }
        int port = environment.containsKey("QUARKUS_HTTP_PORT") ? Integer.parseInt(environment.get("QUARKUS_HTTP_PORT")) : LoopbackPort.free();
        Path directory = jar.toAbsolutePath().getParent();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        if (Files.exists(directory.resolve(CDS_ARCHIVE))) {
            command.add("-XX:SharedArchiveFile=" + CDS_ARCHIVE);
        }
        command.addAll(List.of("-jar", jar.getFileName().toString()));
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(variable -> !List.of("PATH", "HOME", "LANG", "TZ", "JAVA_HOME").contains(variable));
            env.putAll(environment);
            env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
            long start = System.nanoTime();
            Process process = builder.start();
            RUNNING.add(process);
            process.onExit().thenRun(() -> RUNNING.remove(process));
            return new PackagedApp(name, process, port, log, start);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** Waits for {@code /q/health/ready} to answer 200; returns seconds since the JVM started. */
    public double awaitReady(Duration timeout) {
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(50))
                    .failFast(name + " exited before it was ready", () -> !process.isAlive())
                    .until(() -> status("/q/health/ready") == 200);
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(name + " was not ready within " + timeout + ": "
                    + body("/q/health/ready") + "\n" + tail(40), e);
        } catch (RuntimeException e) {
            throw new IllegalStateException(e.getMessage() + "; its log:\n" + tail(40), e);
        }
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** HTTP status of a GET on the app, -1 when it does not answer. */
    public int status(String path) {
        try {
            return HTTP.send(request(path), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Body of a GET on the app, "" when it does not answer. */
    public String body(String path) {
        try {
            return HTTP.send(request(path), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** One Prometheus sample (see {@link MetricsScrape#value}); 0 when absent. */
    public double metric(String series) {
        return MetricsScrape.value(port, series);
    }

    /** Sum of all samples of a metric name whose labels contain every one of {@code labels}. */
    public double metricSum(String name, String... labels) {
        double sum = 0;
        for (String line : MetricsScrape.scrape(port).split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                boolean all = true;
                for (String label : labels) {
                    all &= line.contains(label);
                }
                if (all) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        return sum;
    }

    /**
     * Messages received and not settled yet (acked, retried, deferred or dead-lettered) nor abandoned (their channel
     * closed first), over all queues.
     */
    public double unsettled() {
        return metricSum("vivesphere_messages_received_total") - metricSum("vivesphere_messages_acked_total")
                - metricSum("vivesphere_messages_retried_total") - metricSum("vivesphere_messages_deferred_total")
                - metricSum("vivesphere_messages_dead_lettered_total") - metricSum("vivesphere_messages_abandoned_total");
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** {@code kill -9}: no shutdown hook runs, nothing is flushed or acked. */
    public void kill() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(30));
    }

    /** {@code kill -TERM} (graceful stop, as Kubernetes does it); waits for the exit and returns its code. */
    public int terminate(Duration timeout) {
        process.destroy();
        if (!waitFor(timeout)) {
            throw new IllegalStateException(name + " did not exit within " + timeout + " of SIGTERM");
        }
        return process.exitValue();
    }

    public boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public int exitValue() {
        return process.exitValue();
    }

    /** {@code VmRSS} (resident now) and {@code VmHWM} (peak resident) in KiB; empty once the process is gone. */
    public Map<String, Long> memoryKiB() {
        Map<String, Long> values = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:") || line.startsWith("VmHWM:")) {
                    values.put(line.substring(0, 5), Long.parseLong(line.replaceAll("\\D", "")));
                }
            }
        } catch (IOException e) {
            // exited
        }
        return values;
    }

    public long rssKiB() {
        return memoryKiB().getOrDefault("VmRSS", 0L);
    }

    public long peakRssKiB() {
        return memoryKiB().getOrDefault("VmHWM", 0L);
    }

    public Path logFile() {
        return log;
    }

    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String tail(int lines) {
        String[] all = log().split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            if (!waitFor(Duration.ofSeconds(30))) {
                kill();
            }
        }
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(5)).build();
    }
}
