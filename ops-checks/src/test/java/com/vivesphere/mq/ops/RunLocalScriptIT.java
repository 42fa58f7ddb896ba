package com.vivesphere.mq.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.vivesphere.mq.testing.LoopbackPort;
import com.vivesphere.mq.testing.VhostAndDatabase;

/**
 * {@code ./run-local.sh} as a user runs it (the apps packaged by the reactor, so it does not rebuild them), in a
 * vhost and a database of the test's own: it says ready only when both apps are, stops at once when one of them
 * exits, stops both when it is stopped, and gives each app its own HTTP port.
 */
class RunLocalScriptIT {

    private static final String READY = "run-local: ready";
    /** Covers the script's look at the local services and both apps' start on a busy machine. */
    private static final Duration RUN = Duration.ofSeconds(180);
    private static final Pattern EXITED = Pattern.compile("run-local: (\\S+) exited");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @RegisterExtension
    static final VhostAndDatabase SANDBOX = new VhostAndDatabase();
    private Script script;

    @AfterEach
    void stopScript() {
        if (script != null) {
            script.process.descendants().forEach(ProcessHandle::destroyForcibly);
            script.process.destroyForcibly();
        }
    }

    @Test
    void bothAppsRefusedAtStartEndTheScriptAtOnceWithTheirErrorAndNoReadyBanner() throws Exception {
        Map<String, String> env = environment();
        // guest/guest without the explicit allowance: the production profile's credentials guard refuses both apps.
        env.remove("VIVESPHERE_RABBITMQ_ALLOW_DEFAULT_CREDENTIALS");

        script = Script.start(env);

        assertThat(script.awaitExit(RUN)).as("the script exited").isTrue();
        Instant exitedAt = Instant.now();
        String output = script.output();
        assertThat(script.process.exitValue()).as(output).isNotZero();
        assertThat(output).doesNotContain(READY)
                .contains("Refusing to start with RabbitMQ's default guest/guest credentials");
        Matcher exited = EXITED.matcher(output);
        assertThat(exited.find()).as(output).isTrue();
        Path log = Repo.path("target/run-local/" + exited.group(1) + ".log");
        // The app's last line was written when it exited: the script followed within seconds, not after polling on.
        assertThat(Duration.between(Files.getLastModifiedTime(log).toInstant(), exitedAt)).as(output)
                .isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void readyIsSaidOnlyWhenBothAppsAreReadyAndStoppingTheScriptStopsBoth() throws Exception {
        int logConsumer = LoopbackPort.free();
        int botWorker = LoopbackPort.free();
        Map<String, String> env = environment();
        env.put("LOG_CONSUMER_HTTP_PORT", String.valueOf(logConsumer));
        env.put("BOT_WORKER_HTTP_PORT", String.valueOf(botWorker));

        script = Script.start(env);

        await().atMost(RUN).until(() -> script.output().contains(READY) || !script.process.isAlive());
        assertThat(script.output()).contains(READY);
        // At the moment the banner appeared, both answered ready.
        assertThat(script.readyStatuses).containsExactly(200, 200);
        List<ProcessHandle> apps = script.process.descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("quarkus-run.jar")).toList();
        assertThat(apps).hasSize(2);

        script.process.destroy(); // SIGTERM, as Ctrl-C's SIGINT is handled alike

        assertThat(script.awaitExit(Duration.ofSeconds(60))).as("the script exited").isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> apps.stream().noneMatch(ProcessHandle::isAlive));
    }

    @Test
    void aQuarkusHttpPortInTheEnvironmentIsNotGivenToBothApps() throws Exception {
        int shared = LoopbackPort.free();
        int logConsumer = LoopbackPort.free();
        int botWorker = LoopbackPort.free();
        Map<String, String> env = environment();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(shared));
        env.put("LOG_CONSUMER_HTTP_PORT", String.valueOf(logConsumer));
        env.put("BOT_WORKER_HTTP_PORT", String.valueOf(botWorker));

        script = Script.start(env);

        await().atMost(RUN).until(() -> script.output().contains(READY) || !script.process.isAlive());
        assertThat(script.output()).contains(READY);
        assertThat(status(logConsumer)).isEqualTo(200);
        assertThat(status(botWorker)).isEqualTo(200);
        assertThat(listening(shared)).as("something listens on QUARKUS_HTTP_PORT " + shared).isFalse();
    }

    private static Map<String, String> environment() {
        Map<String, String> env = new HashMap<>(SANDBOX.appEnvironment());
        env.put("PATH", System.getenv("PATH"));
        env.put("HOME", System.getProperty("user.home"));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        return env;
    }

    private static int status(int port) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The script running with only {@code env}, its output read as it comes. */
    private static final class Script {

        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();
        /** Both apps' readiness, looked at as soon as the banner's line was read. */
        final List<Integer> readyStatuses = new CopyOnWriteArrayList<>();
        private final Thread reader;

        private Script(Process process, Map<String, String> env) {
            this.process = process;
            int logConsumer = Integer.parseInt(env.getOrDefault("LOG_CONSUMER_HTTP_PORT", "8081"));
            int botWorker = Integer.parseInt(env.getOrDefault("BOT_WORKER_HTTP_PORT", "8082"));
            reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null;) {
                        if (line.contains(READY)) {
                            readyStatuses.add(status(logConsumer));
                            readyStatuses.add(status(botWorker));
                        }
                        lines.add(line);
                    }
                } catch (IOException e) {
                    lines.add("(output no longer readable: " + e + ")");
                }
            }, "run-local.sh output");
            reader.setDaemon(true);
            reader.start();
        }

        static Script start(Map<String, String> env) throws IOException {
            ProcessBuilder builder = new ProcessBuilder(Repo.path("run-local.sh").toString()).directory(Repo.ROOT.toFile())
                    .redirectErrorStream(true);
            builder.environment().clear();
            builder.environment().putAll(env);
            return new Script(builder.start(), env);
        }

        /** Whether it exited within {@code timeout}; then its output is read to the end. */
        boolean awaitExit(Duration timeout) throws InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return false;
            }
            reader.join(TimeUnit.SECONDS.toMillis(10));
            return true;
        }

        String output() {
            return String.join("\n", lines);
        }
    }
}
