package com.vivesphere.mq.ops;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.vivesphere.mq.testing.LoopbackPort;

/**
 * The real Prometheus server (Debian's package, /usr/bin/prometheus) run for a test: its own configuration file,
 * storage directory and free port, on the loopback interface, stopped by {@link #close()}.
 */
final class PrometheusServer implements AutoCloseable {

    static final Path BINARY = Path.of(System.getenv().getOrDefault("PROMETHEUS_BINARY", "/usr/bin/prometheus"));

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final int port;

    private PrometheusServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static PrometheusServer start(Path config, Path workDirectory) throws IOException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: install Debian's prometheus package"
                    + " (bash scripts/local-services.sh --install)");
        }
        int port = LoopbackPort.free();
        Path storage = workDirectory.resolve("data");
        if (Files.exists(storage)) {
            try (var files = Files.walk(storage)) {
                for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
        Files.createDirectories(storage);
        Process process = new ProcessBuilder(BINARY.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + storage,
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(workDirectory.resolve("prometheus.log").toFile())
                .start();
        return new PrometheusServer(process, port);
    }

    boolean ready() {
        if (!process.isAlive()) {
            throw new IllegalStateException("Prometheus exited with " + process.exitValue());
        }
        try {
            return HTTP.send(request("/-/ready"), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The scrape targets, as "job instance health lastError". */
    List<String> targets() {
        List<String> targets = new ArrayList<>();
        for (JsonNode target : get("/api/v1/targets?state=active").path("data").path("activeTargets")) {
            targets.add(target.path("labels").path("job").asText() + " " + target.path("labels").path("instance").asText()
                    + " " + target.path("health").asText() + " " + target.path("lastError").asText());
        }
        return targets;
    }

    /**
     * A range query over [from, now] as Grafana sends it for a panel. Returns the number of series, or throws with
     * Prometheus' error when the query is not valid.
     */
    int seriesCount(String expr, Instant from, Duration step) {
        JsonNode answer = get("/api/v1/query_range?query=" + encode(expr) + "&start=" + from.getEpochSecond()
                + "&end=" + Instant.now().getEpochSecond() + "&step=" + step.toSeconds() + "s");
        if (!"success".equals(answer.path("status").asText())) {
            throw new IllegalArgumentException(answer.path("errorType").asText() + ": " + answer.path("error").asText());
        }
        return answer.path("data").path("result").size();
    }

    /** The values of a label on the series matching a selector, as Grafana's label_values(selector, label). */
    List<String> labelValues(String label, String selector) {
        String path = "/api/v1/label/" + encode(label) + "/values" + (selector.isBlank() ? "" : "?match[]=" + encode(selector));
        List<String> values = new ArrayList<>();
        get(path).path("data").forEach(v -> values.add(v.asText()));
        return values;
    }

    private JsonNode get(String path) {
        try {
            return Repo.JSON.readTree(HTTP.send(request(path), HttpResponse.BodyHandlers.ofString()).body());
        } catch (IOException e) {
            throw new IllegalStateException("Prometheus did not answer " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
