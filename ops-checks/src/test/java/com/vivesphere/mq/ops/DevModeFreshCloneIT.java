package com.vivesphere.mq.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.vivesphere.mq.testing.LoopbackPort;
import com.vivesphere.mq.testing.ProjectRoot;
import com.vivesphere.mq.testing.TestDatabase;
import com.vivesphere.mq.testing.VhostAndDatabase;

/**
 * Each app's dev mode as the README starts it, on a fresh clone of the committed project with a local Maven
 * repository that holds everything but this project's own artifacts (so nothing resolves from an earlier
 * install): ready, a new Java class picked up live, stopped. The clone has the committed files only.
 */
class DevModeFreshCloneIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration READY = Duration.ofMinutes(4);

    private static Path work;
    private static Path clone;
    private static Path repository;
    @RegisterExtension
    static final VhostAndDatabase SANDBOX = new VhostAndDatabase();

    @BeforeAll
    static void cloneWithoutOurArtifacts() throws Exception {
        work = Files.createDirectories(Repo.path("ops-checks/target/dev-mode"));
        clone = work.resolve("clone-" + UUID.randomUUID().toString().substring(0, 8));
        run(work, "git", "clone", "--quiet", ProjectRoot.PATH.toString(), clone.toString());
        Path localRepository = Path.of(System.getProperty("local.repository",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString()));
        repository = repositoryWithout(localRepository, "com/vivesphere",
                work.resolve("repository-" + clone.getFileName()));
    }

    @ParameterizedTest
    @CsvSource({ "log-consumer, com/vivesphere/mq/logconsumer", "bot-action-worker, com/vivesphere/mq/botworker" })
    void startsFromAFreshCloneAndPicksUpALiveChange(String module, String packagePath) throws Exception {
        int port = LoopbackPort.free();
        Path log = work.resolve(module + "-dev.log");
        // The README's command; the test's own vhost, database and port, and no debugger port to collide on.
        ProcessBuilder builder = new ProcessBuilder("./mvnw", "-B", "quarkus:dev", "-pl", module, "-am",
                "-Dmaven.repo.local=" + repository, "-Ddebug=false").directory(clone.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(Map.of("RABBITMQ_VHOST", SANDBOX.vhost(), "QUARKUS_HTTP_PORT", String.valueOf(port),
                "_DEV_QUARKUS_DATASOURCE_REACTIVE_URL", TestDatabase.reactiveUrl(SANDBOX.database()),
                "_DEV_QUARKUS_DATASOURCE_USERNAME", TestDatabase.USER));
        Process maven = builder.start();
        try {
            awaitAnswer(maven, log, "http://localhost:" + port + "/q/health/ready", "\"UP\"");

            String token = "probe-" + UUID.randomUUID();
            String pkg = packagePath.replace('/', '.');
            Files.writeString(clone.resolve(module + "/src/main/java/" + packagePath + "/DevModeProbe.java"), """
                    package %s;

                    @jakarta.ws.rs.Path("/dev-mode-probe")
                    public class DevModeProbe {
                        @jakarta.ws.rs.GET
                        public String probe() {
                            return "%s";
                        }
                    }
                    """.formatted(pkg, token));
            awaitAnswer(maven, log, "http://localhost:" + port + "/dev-mode-probe", token);
        } finally {
            stop(maven);
        }
        assertThat(maven.isAlive()).isFalse();
    }

    /** Waits until a GET answers 200 with a body containing {@code expected}; fails with the log's tail. */
    private static void awaitAnswer(Process maven, Path log, String url, String expected) throws IOException {
        try {
            await().atMost(READY).pollInterval(Duration.ofMillis(500))
                    .failFast("dev mode exited", () -> !maven.isAlive())
                    .until(() -> body(url).contains(expected));
        } catch (ConditionTimeoutException | org.awaitility.core.TerminalFailureException e) {
            List<String> lines = Files.readAllLines(log);
            throw new AssertionError(url + " never answered " + expected + "; dev mode's log ends:\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size())), e);
        }
    }

    private static String body(String url) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Maven forks the application's JVM: stop the whole tree, children first. */
    private static void stop(Process maven) throws InterruptedException {
        List<ProcessHandle> tree = Stream.concat(maven.descendants(), Stream.of(maven.toHandle())).toList();
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle process : tree) {
            try {
                process.onExit().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                process.destroyForcibly();
            }
        }
        maven.waitFor(30, TimeUnit.SECONDS);
    }

    /**
     * A local repository of links to every entry of {@code source} but {@code excluded} (a path of group folders),
     * so that the build downloads or reuses everything else and must build this project's modules itself.
     */
    private static Path repositoryWithout(Path source, String excluded, Path target) throws IOException {
        link(source, Path.of(excluded), target);
        return target;
    }

    private static void link(Path source, Path excluded, Path target) throws IOException {
        Files.createDirectories(target);
        String head = excluded.getName(0).toString();
        try (Stream<Path> entries = Files.list(source)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (!name.equals(head)) {
                    Files.createSymbolicLink(target.resolve(name), entry);
                } else if (excluded.getNameCount() > 1) {
                    link(entry, excluded.subpath(1, excluded.getNameCount()), target.resolve(name));
                }
            }
        }
    }

    private static void run(Path directory, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
    }
}
