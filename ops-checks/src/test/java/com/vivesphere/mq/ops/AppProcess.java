package com.vivesphere.mq.ops;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.vivesphere.mq.testing.ProductionJvm;

/**
 * One packaged application (its fast-jar) run as a separate JVM, as in production and in its image (the same
 * idea as bench's WorkerProcess): configured by environment variables only, on a port of its own.
 */
final class AppProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    final String module;
    final int port;
    private final Process process;

    private AppProcess(String module, int port, Process process) {
        this.module = module;
        this.port = port;
        this.process = process;
    }

    static AppProcess start(String module, Map<String, String> environment, Path log) throws IOException {
        int port = PrometheusServer.freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(ProductionJvm.OPTIONS); // a bounded heap and the GC, as in the image
        command.addAll(List.of("-jar", Repo.appJar(module).toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        return new AppProcess(module, port, builder.start());
    }

    /** True once /q/health/ready answers 200; fails if the process died. */
    boolean ready() {
        if (!process.isAlive()) {
            throw new IllegalStateException(module + " exited with " + process.exitValue() + " before it was ready");
        }
        return status("/q/health/ready") == 200;
    }

    /** Waits for the process to exit by itself; its exit code, or empty if it still runs after {@code timeout}. */
    java.util.OptionalInt awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? java.util.OptionalInt.of(process.exitValue())
                : java.util.OptionalInt.empty();
    }

    int status(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
