package com.vivesphere.mq.faults.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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

import com.vivesphere.mq.testing.MetricsScrape;
import com.vivesphere.mq.testing.ProductionJvm;
import com.vivesphere.mq.testing.SmallRyeRabbitMQ;

/**
 * One packaged worker application ({@code quarkus-run.jar}) run as a child JVM, as in production (the
 * image's JVM options, {@link ProductionJvm}, and the production profile), configured only through its
 * environment. The test can kill it ({@code SIGKILL}), stop it ({@code SIGTERM}), read its health, metrics,
 * log and memory.
 */
public final class Worker implements AutoCloseable {

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

        Path jar() {
            Path root = Path.of(System.getProperty("fault.root", ".."));
            return root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar").toAbsolutePath().normalize();
        }
    }

    public static final List<String> JVM = ProductionJvm.OPTIONS;
    /** The workers' default connector, the project's own. */
    public static final String CLIENT_CONNECTOR = "vivesphere-rabbitmq-client";
    /**
     * The connector every channel consumes through: the default, or {@code -Dfaults.connector=smallrye-rabbitmq}
     * for the comparison of README, Which connector.
     */
    public static final String CONNECTOR = System.getProperty("faults.connector", Worker.CLIENT_CONNECTOR);
    /** Processes still running when the test JVM exits (a test interrupted by its timeout) are killed. */
    private static final java.util.Set<Process> RUNNING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "kill-workers"));
    }
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final App app;
    private final Process process;
    private final int port;
    private final Path log;
    private final long startNanos;

    private Worker(App app, Process process, int port, Path log, long startNanos) {
        this.app = app;
        this.process = process;
        this.port = port;
        this.log = log;
        this.startNanos = startNanos;
    }

    /** Starts {@code app} with {@code environment} (plus its HTTP port), its output going to {@code log}. */
    public static Worker start(App app, Map<String, String> environment, Path log) {
        return start(app, JVM, environment, log);
    }

    public static Worker start(App app, List<String> jvmOptions, Map<String, String> environment, Path log) {
        Path jar = app.jar();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: package the applications first (./mvnw -B package -DskipTests)");
        }
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
            // Nothing of the test JVM's own environment leaks in except what a JVM needs.
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(name -> !List.of("PATH", "HOME", "LANG", "TZ", "JAVA_HOME").contains(name));
            env.putAll(app.connectorEnvironment(CONNECTOR));
            env.putAll(environment);
            env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
            long start = System.nanoTime();
            Process process = builder.start();
            RUNNING.add(process);
            process.onExit().thenRun(() -> RUNNING.remove(process));
            return new Worker(app, process, port, log, start);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public App app() {
        return app;
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
                    .failFast(app.module() + " exited before it was ready", () -> !process.isAlive())
                    .until(() -> status("/q/health/ready") == 200);
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(app.module() + " was not ready within " + timeout + ": "
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

    /** Messages received and not settled yet (acked, retried, deferred or dead-lettered), over all queues. */
    public double unsettled() {
        return metricSum("vivesphere_messages_received_total") - metricSum("vivesphere_messages_acked_total")
                - metricSum("vivesphere_messages_retried_total") - metricSum("vivesphere_messages_deferred_total")
                - metricSum("vivesphere_messages_dead_lettered_total");
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
            throw new IllegalStateException(app.module() + " did not exit within " + timeout + " of SIGTERM");
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

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
