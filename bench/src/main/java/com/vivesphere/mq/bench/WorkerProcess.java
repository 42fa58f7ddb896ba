package com.vivesphere.mq.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.vivesphere.mq.testing.ProductionJvm;

/** One worker application (its fast-jar) run as a separate JVM, as in production. */
final class WorkerProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private static final String CDS_ARCHIVE = "app-cds.jsa";

    /**
     * {@code bench.jvm} ("-Xmx256m -XX:+UseSerialGC", ...), or when it is not set the production image's options
     * (Parallel GC; G1, the JVM's own choice on this machine, cost 2-5 us more CPU per message: README, Benchmarks).
     */
    static List<String> jvmOptions() {
        String options = System.getProperty("bench.jvm", "").trim();
        return options.isEmpty() ? ProductionJvm.OPTIONS : List.of(options.split("\\s+"));
    }

    private final Process process;
    private final int port;
    private final long startNanos;

    private WorkerProcess(Process process, int port, long startNanos) {
        this.process = process;
        this.port = port;
        this.startNanos = startNanos;
    }

    static WorkerProcess start(Path jar, List<String> jvmOptions, Map<String, String> environment, int port, Path log)
            throws IOException {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run ./mvnw -B package -DskipTests first");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        // As the README says to run it: from its directory, with the class-data archive made at packaging
        // (the archive records the jar's path as given, so the command must name it the same way).
        Path directory = jar.toAbsolutePath().getParent();
        if (Files.exists(directory.resolve(CDS_ARCHIVE))) {
            command.add("-XX:SharedArchiveFile=" + CDS_ARCHIVE);
        }
        command.addAll(List.of("-jar", jar.getFileName().toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        long start = System.nanoTime();
        return new WorkerProcess(builder.start(), port, start);
    }

    /** Seconds from the JVM's start to the first 200 from /q/health/ready. */
    double awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the worker exited with " + process.exitValue() + " before it was ready");
            }
            if (status("/q/health/ready") == 200) {
                return (System.nanoTime() - startNanos) / 1e9;
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("the worker was not ready within " + timeout);
    }

    /** The value of one Prometheus sample, e.g. {@code vivesphere_messages_acked_total{queue="log_queue"}}. */
    double metric(String series) throws IOException, InterruptedException {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (String line : body.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1));
            }
        }
        return 0;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Resident set size in bytes (Linux). */
    long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        return 0;
    }

    private int status(String path) throws InterruptedException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(java.util.concurrent.TimeUnit.SECONDS.toMillis(20), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
