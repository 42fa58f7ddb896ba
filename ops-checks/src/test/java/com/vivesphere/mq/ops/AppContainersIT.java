package com.vivesphere.mq.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.rabbitmq.client.Connection;
import com.vivesphere.mq.common.publish.MessagePublisher;
import com.vivesphere.mq.common.topology.Topology;
import com.vivesphere.mq.testing.BrokerAdmin;
import com.vivesphere.mq.testing.DeadLetters;
import com.vivesphere.mq.testing.LoopbackPort;
import com.vivesphere.mq.testing.MetricsScrape;
import com.vivesphere.mq.testing.SampleMessages;
import com.vivesphere.mq.testing.TestDatabase;
import com.vivesphere.mq.testing.TestKeyPair;
import com.vivesphere.mq.testing.VhostAndDatabase;
import com.vivesphere.mq.testing.XApiStub;

/**
 * Both workers' JVM images built from src/main/docker/Dockerfile.jvm as docker-compose.yml builds them, and run as
 * containers (podman) with the environment, secret and memory limit compose gives them, against the local RabbitMQ
 * and PostgreSQL over loopback (a vhost and a database of the test's own) and the X API stand-in. What is a
 * stand-in here (the base image, the broker and database, X) is said in the output and in
 * target/containers/report.txt; what this cannot show is in docs/containers.md.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AppContainersIT {

    private static final BrokerAdmin ADMIN = new BrokerAdmin();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int BOTS = 3;
    /** The files the fast-jar's four COPY layers and the image's own archive make of /deployments. */
    private static final Set<String> DEPLOYMENTS = Set.of("app", "app-cds.jsa", "lib", "quarkus", "quarkus-run.jar");
    private static final String CDS_ARCHIVE = "/deployments/app-cds.jsa";
    private static final Pattern IN_FLIGHT = Pattern.compile("finishing (\\d+) message\\(s\\) in flight");

    @RegisterExtension
    static final VhostAndDatabase SANDBOX = new VhostAndDatabase();
    private static final Map<String, AppImage> IMAGES = new LinkedHashMap<>();
    private static final Map<String, AppContainer> CONTAINERS = new LinkedHashMap<>();
    private static final Map<String, Double> HEALTHY_AFTER = new LinkedHashMap<>();
    private static ContainerReport report;
    private static Podman podman;
    private static String base;
    private static XApiStub xApi;
    private static Path credentials;
    private static long started;

    @BeforeAll
    static void buildBothImagesAndStartTheirContainers() throws Exception {
        started = System.nanoTime();
        report = new ContainerReport(Podman.WORK.resolve("report.txt"));
        report.line("STAND-INS: the base image (Debian bookworm + Debian's openjdk-17-jre-headless + a minimal"
                + " run-java.sh, ops-checks/src/test/resources/containers) replaces registry.access.redhat.com/ubi9/openjdk-17-runtime;"
                + " the machine's RabbitMQ and PostgreSQL replace compose's rabbitmq and postgres services; XApiStub replaces X");
        report.line("THE PROJECT'S: src/main/docker/Dockerfile.jvm (COPY layers, USER, RUN, ENV, ENTRYPOINT), .dockerignore,"
                + " docker-compose.yml's build, environment, secret, memory limit, health check, start_period and stop_grace_period");
        podman = Podman.local();
        base = StandinBase.ensure(podman, report);
        for (String module : Repo.APP_MODULES) {
            Repo.appJar(module);
            AppImage image = AppImage.build(podman, base, ComposeService.of(module));
            IMAGES.put(module, image);
            report.line("%s: image %s built from %s in %.1f s", module, image.name(),
                    Repo.ROOT.relativize(ComposeService.of(module).dockerfile()), image.buildSeconds());
        }

        xApi = new XApiStub(Duration.ZERO);
        credentials = xApi.credentialsFile(Podman.WORK, "refresh-", BOTS);
        // Compose mounts the secret file as it is on the host: the image's user 185 must be able to read it.
        Files.setPosixFilePermissions(credentials, PosixFilePermissions.fromString("rw-r--r--"));
        Path jwtPublicKey = new TestKeyPair().writePublicKey(Podman.WORK.resolve("jwt-public-key.pem"));
        Files.setPosixFilePermissions(jwtPublicKey, PosixFilePermissions.fromString("rw-r--r--"));
        Map<String, String> dotEnv = Map.of("RABBITMQ_USERNAME", BrokerAdmin.USERNAME, "RABBITMQ_PASSWORD", BrokerAdmin.PASSWORD,
                "POSTGRES_USER", TestDatabase.USER,
                "POSTGRES_PASSWORD", TestDatabase.PASSWORD.isEmpty() ? "unused-with-trust-authentication" : TestDatabase.PASSWORD,
                "BOT_CREDENTIALS_PATH", credentials.toString(), "JWT_PUBLIC_KEY_PATH", jwtPublicKey.toString());
        report.line(".env of this test: the local broker's and database's users; BOT_CREDENTIALS_PATH = XApiStub's credentials for %d bots;"
                + " JWT_PUBLIC_KEY_PATH = a public key of the test's own", BOTS);

        for (String module : Repo.APP_MODULES) {
            ComposeService service = ComposeService.of(module);
            Map<String, String> environment = service.environment(dotEnv);
            Map<String, String> added = testOwnSettings(module, environment);
            environment.putAll(added);
            int port = LoopbackPort.free();
            Map<Path, String> secrets = service.secretMounts(dotEnv, Podman.WORK.resolve("secrets-" + module));
            report.line("%s: compose's environment plus the test's own %s; HTTP port %d (compose's %d is not free to take"
                    + " on a shared host network); --memory %d MiB; secrets %s", module, added.keySet(), port,
                    ComposeFileTest.APP_PORTS.get(module), service.memoryLimitBytes() >> 20, secrets.values());
            CONTAINERS.put(module, AppContainer.start(podman, IMAGES.get(module).name(), service, dotEnv, environment,
                    secrets, port));
        }
        for (AppContainer container : CONTAINERS.values()) {
            awaitHealthy(container);
        }
    }

    /**
     * What the test sets beyond compose's environment: its own vhost and database, the local broker's guest user
     * allowed, and bot-action-worker's X calls sent to the stand-in.
     */
    private static Map<String, String> testOwnSettings(String module, Map<String, String> environment) {
        Map<String, String> added = new LinkedHashMap<>();
        added.put("RABBITMQ_VHOST", SANDBOX.vhost());
        added.put("VIVESPHERE_RABBITMQ_ALLOW_DEFAULT_CREDENTIALS", "true");
        String url = environment.get("QUARKUS_DATASOURCE_REACTIVE_URL");
        String ownDatabase = url.replaceFirst("/[^/]+$", "/" + SANDBOX.database());
        assertThat(ownDatabase).as("compose's database URL names a database").isNotEqualTo(url);
        added.put("QUARKUS_DATASOURCE_REACTIVE_URL", ownDatabase);
        if (module.equals("bot-action-worker")) {
            assertThat(environment).containsEntry("BOT_EXECUTOR", "x");
            added.put("X_API_BASE_URL", xApi.baseUrl());
        }
        return added;
    }

    /**
     * Compose's health check, run every 250 ms until it passes (compose runs it every interval), for at most the
     * start period: after it, compose would count the failures.
     */
    private static void awaitHealthy(AppContainer container) {
        Duration startPeriod = container.service().healthCheckStartPeriod();
        try {
            await(container.service().name() + " healthy within start_period").atMost(startPeriod).pollInterval(Duration.ofMillis(250))
                    .failFast(container.service().name() + " exited", () -> !container.isRunning())
                    .until(() -> container.healthCheck().ok());
        } catch (RuntimeException e) {
            throw new IllegalStateException(e.getMessage() + "\n" + container.tail(40), e);
        }
        HEALTHY_AFTER.put(container.service().name(), container.secondsSinceStart());
        report.line("%s: healthy (compose's health check) %.1f s after podman run; start_period %d s",
                container.service().name(), container.secondsSinceStart(), startPeriod.toSeconds());
    }

    @AfterAll
    static void removeContainersAndImages() throws Exception {
        CONTAINERS.values().forEach(AppContainer::close);
        IMAGES.values().forEach(AppImage::close);
        if (xApi != null) {
            xApi.close();
        }
        if (credentials != null) {
            Files.deleteIfExists(credentials);
        }
        if (report != null) {
            report.line("whole test %.1f s", StandinBase.seconds(started));
        }
    }

    @Test
    @Order(1)
    void eachImageRunsAsItsNonRootUser() {
        CONTAINERS.forEach((module, container) -> {
            assertThat(IMAGES.get(module).inspect("{{.Config.User}}")).as(module + " image user").isEqualTo("185");
            assertThat(container.execOk("id", "-u")).as(module + " uid in the container").isEqualTo("185");
        });
    }

    @Test
    @Order(2)
    void theClassDataArchiveMadeInTheImageIsTheOneTheJvmUses() throws Exception {
        for (Map.Entry<String, AppContainer> entry : CONTAINERS.entrySet()) {
            String module = entry.getKey();
            AppContainer container = entry.getValue();
            assertThat(IMAGES.get(module).changesOverBase()).as(module + " image layers").contains("A " + CDS_ARCHIVE);
            // Made by the image's own JVM, not copied from the build: the packaging's archive is a different file.
            Path packaged = Repo.appJar(module).resolveSibling("app-cds.jsa");
            String inImage = container.execOk("sha256sum", CDS_ARCHIVE).split(" ")[0];
            if (Files.exists(packaged)) {
                assertThat(inImage).as(module + " archive differs from the packaging's").isNotEqualTo(sha256(packaged));
            }
            assertThat(container.execOk("cat", "/proc/1/cmdline").replace('\0', ' '))
                    .as(module + " JVM command line (PID 1, run-java.sh exec'd it)")
                    .contains("-XX:SharedArchiveFile=" + CDS_ARCHIVE, "-jar /deployments/quarkus-run.jar");
            // A JVM that refused the archive (another JVM's, another jar path) runs without it: nothing is mapped.
            assertThat(container.execOk("grep", "-c", CDS_ARCHIVE, "/proc/1/maps")).as(module + " archive mapped by the JVM")
                    .isNotEqualTo("0");
            assertThat(container.logs()).as(module + " log").doesNotContainIgnoringCase("shared archive")
                    .doesNotContain("[cds]");
            report.line("%s: the JVM maps %s, made in the image (sha256 %s…)", module, CDS_ARCHIVE, inImage.substring(0, 12));
        }
    }

    @Test
    @Order(3)
    void composeHealthCheckPassesWithinTheStartPeriodAndFailsOnAClosedPortOrAMissingPath() {
        CONTAINERS.forEach((module, container) -> {
            assertThat(HEALTHY_AFTER.get(module)).as(module + " seconds from podman run to healthy")
                    .isLessThanOrEqualTo((double) container.service().healthCheckStartPeriod().toSeconds());
            assertThat(container.healthCheck().exitCode()).as(module + " health check now").isZero();
            List<String> closed = container.healthCheckCommand().stream()
                    .map(word -> word.replace("/" + container.port() + " ", "/" + LoopbackPort.free() + " ")).toList();
            assertThat(container.exec(closed).exitCode()).as(module + " health check against a closed port").isNotZero();
            List<String> missing = container.healthCheckCommand().stream()
                    .map(word -> word.replace("/q/health/ready", "/q/health/missing")).toList();
            assertThat(container.exec(missing).exitCode()).as(module + " health check of a path that answers 404").isNotZero();
        });
    }

    @Test
    @Order(4)
    void logConsumerStoresEventsAndDeadLettersInvalidOnes() throws Exception {
        String marker = "container " + UUID.randomUUID();
        int events = 20;
        try (Connection connection = ADMIN.connect(SANDBOX.vhost());
                MessagePublisher publisher = new MessagePublisher(connection, WAIT)) {
            for (int i = 0; i < events; i++) {
                UUID id = UUID.randomUUID();
                publisher.publishRaw(Topology.LOG_EXCHANGE, "info.test-service", MessagePublisher.properties(id.toString(), "LogEvent"),
                        SampleMessages.logEvent(id, "INFO", marker).getBytes(StandardCharsets.UTF_8));
            }
            publisher.publishRaw(Topology.LOG_EXCHANGE, "info.test-service",
                    MessagePublisher.properties(UUID.randomUUID().toString(), "LogEvent"), "{not json".getBytes(StandardCharsets.UTF_8));
            publisher.awaitConfirms();

            await("events stored").atMost(WAIT).until(() -> storedEvents(marker) == events);
            DeadLetters.Letter letter = await("dead letter").atMost(WAIT)
                    .until(() -> DeadLetters.take(connection, Topology.DEAD_LETTER_QUEUE), Optional::isPresent).get();
            assertThat(letter.body()).isEqualTo("{not json");
            assertThat(letter.headers()).containsEntry("x-vs-original-queue", Topology.LOG_QUEUE);
        }
        report.line("log-consumer: %d events stored in PostgreSQL, the invalid one dead-lettered", events);
    }

    @Test
    @Order(5)
    void botWorkerExecutesActionsOnTheXStandInAndDeadLettersInvalidOnes() throws Exception {
        List<UUID> actions = new ArrayList<>();
        try (Connection connection = ADMIN.connect(SANDBOX.vhost());
                MessagePublisher publisher = new MessagePublisher(connection, WAIT)) {
            for (int bot = 1; bot <= BOTS; bot++) {
                UUID id = UUID.randomUUID();
                actions.add(id);
                publisher.publishRaw(Topology.BOT_ACTION_EXCHANGE, "like.bot-" + bot, MessagePublisher.properties(id.toString(), "BotAction"),
                        SampleMessages.likeAction(id, "bot-" + bot).getBytes(StandardCharsets.UTF_8));
            }
            publisher.publishRaw(Topology.BOT_ACTION_EXCHANGE, "like.bot-1",
                    MessagePublisher.properties(UUID.randomUUID().toString(), "BotAction"),
                    "{\"schemaVersion\":1,\"botId\":\"bot-1\",\"type\":\"LIKE\"}".getBytes(StandardCharsets.UTF_8));
            publisher.awaitConfirms();

            // The tokens came from the secret file mounted where compose mounts it: X (the stand-in) accepted them.
            await("actions executed").atMost(WAIT).until(() -> succeeded(actions) == BOTS);
            assertThat(xApi.likeCalls()).isEqualTo(BOTS);
            DeadLetters.Letter letter = await("dead letter").atMost(WAIT)
                    .until(() -> DeadLetters.take(connection, Topology.DEAD_LETTER_QUEUE), Optional::isPresent).get();
            assertThat(letter.headers()).containsEntry("x-vs-original-queue", Topology.BOT_ACTION_QUEUE)
                    .containsEntry("x-vs-failure-reason", "schema-invalid");
        }
        report.line("bot-action-worker: %d likes executed on the X stand-in with the mounted secret's tokens, the invalid action dead-lettered",
                BOTS);
    }

    @Test
    @Order(6)
    void theHeapTheJvmChoseFitsTheComposeMemoryLimit() {
        CONTAINERS.forEach((module, container) -> {
            long limit = container.service().memoryLimitBytes();
            assertThat(Long.parseLong(container.execOk("bash", "-c",
                    "cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes")))
                    .as(module + " memory limit the container's cgroup sets").isEqualTo(limit);
            int ratio = Integer.parseInt(imageEnvironment(module).get("JAVA_MAX_MEM_RATIO"));
            double heap = heapMaxBytes(container.port());
            assertThat(heap).as(module + " maximum heap (jvm_memory_max_bytes, area heap)")
                    .isLessThanOrEqualTo(limit * ratio / 100.0)
                    // chosen from the limit, not from the host's memory
                    .isGreaterThan(limit * ratio / 100.0 * 0.8);
            report.line("%s: maximum heap %d MiB of the %d MiB limit (JAVA_MAX_MEM_RATIO=%d); the container's memory"
                    + " peak so far %s MiB", module, (long) heap >> 20, limit >> 20, ratio, peakMiB(container));
        });
    }

    @Test
    @Order(7)
    void theImagesHoldOnlyTheAppAndNoCredentials() throws Exception {
        for (Map.Entry<String, AppImage> entry : IMAGES.entrySet()) {
            String module = entry.getKey();
            AppImage image = entry.getValue();
            List<String> changes = image.changesOverBase();
            assertThat(changes).as(module + ": what the Dockerfile adds to the base")
                    .allMatch(change -> change.startsWith("A /deployments/") || change.startsWith("C "));
            Set<String> top = new TreeSet<>(image.runScript("ls -A /deployments").lines().toList());
            assertThat(top).as(module + " /deployments").isEqualTo(DEPLOYMENTS);
            Path quarkusApp = Repo.appJar(module).getParent();
            for (String layer : List.of("lib", "app", "quarkus")) {
                assertThat(new TreeSet<>(image.runScript("cd /deployments/" + layer + " && find . -type f | sort").lines().toList()))
                        .as(module + " /deployments/" + layer + " is the packaged app's " + layer).isEqualTo(files(quarkusApp.resolve(layer)));
            }
            assertThat(image.runScript("find / -xdev \\( -type f \\( -name .env -o -name '.env.*' -o -name '*credentials*.json'"
                    + " -o -name '*.pem' -o -name '*.key' -o -name '*.p12' -o -name '*.jks' -o -name '*.java' \\)"
                    + " -o -type d -name target \\) -print"))
                    .as(module + " image: no .env, credentials, keys, build directories or sources").isEmpty();
            assertThat(image.runScript("grep -rIl -e accessToken -e refreshToken -e PASSWORD= /deployments /home /tmp || true"))
                    .as(module + " image: no plain-text file with tokens or passwords").isEmpty();
            long size = image.sizeBytes();
            report.line("%s: image %d MiB, of which the stand-in base %d MiB and the Dockerfile's layers %d MiB", module,
                    size >> 20, image.baseSizeBytes() >> 20, (size - image.baseSizeBytes()) >> 20);
        }
    }

    @Test
    @Order(8)
    void aDockerfileCopyingAPathThePackagingDoesNotMakeFailsToBuild() throws Exception {
        ComposeService service = ComposeService.of("log-consumer");
        String dockerfile = Files.readString(service.dockerfile());
        String wrong = dockerfile.replace("${MODULE}/target/quarkus-app/lib/", "${MODULE}/target/quarkus-app/libs/");
        assertThat(wrong).isNotEqualTo(dockerfile);
        Path broken = Files.writeString(Podman.WORK.resolve("Dockerfile.jvm-wrong-copy"), wrong);
        String name = "localhost/vivesphere-test/wrong-copy:" + UUID.randomUUID().toString().substring(0, 8);
        AppImage.BuildResult build = AppImage.tryBuild(podman, base, service, broken, name);
        assertThat(build.exitCode()).as("podman build with a wrong COPY source").isNotZero();
        assertThat(build.output() + build.errors()).contains("quarkus-app/libs");
        assertThat(podman.imageExists(name)).as("no image left of the failed build").isFalse();
        report.line("a Dockerfile.jvm copying quarkus-app/libs/ fails to build (%.1f s)", build.seconds());
    }

    @Test
    @Order(9)
    void podmanStopDrainsAndExitsZeroWithinTheStopGracePeriod() throws Exception {
        String marker = "drain " + UUID.randomUUID();
        // enough that the consumer is still busy when SIGTERM arrives, with up to its prefetch in flight
        int events = 20_000;
        AppContainer logConsumer = CONTAINERS.get("log-consumer");
        try (Connection connection = ADMIN.connect(SANDBOX.vhost());
                MessagePublisher publisher = new MessagePublisher(connection, WAIT)) {
            for (int i = 0; i < events; i++) {
                UUID id = UUID.randomUUID();
                publisher.publishRaw(Topology.LOG_EXCHANGE, "info.test-service", MessagePublisher.properties(id.toString(), "LogEvent"),
                        SampleMessages.logEvent(id, "INFO", marker).getBytes(StandardCharsets.UTF_8));
            }
            publisher.awaitConfirms();
            await("log-consumer consuming").atMost(WAIT).until(() -> storedEvents(marker) > 0);
            for (AppContainer container : CONTAINERS.values()) {
                Duration grace = container.service().stopGracePeriod();
                double seconds = container.stop(grace);
                String module = container.service().name();
                assertThat(container.exitCode()).as(module + " exit code after SIGTERM:\n" + container.tail(20)).isZero();
                assertThat(seconds).as(module + " seconds to stop").isLessThan((double) grace.toSeconds());
                String log = container.logs();
                assertThat(log).as(module + " log").contains("every message in flight settled and acknowledged");
                Matcher inFlight = IN_FLIGHT.matcher(log);
                report.line("%s: podman stop took %.1f s (stop_grace_period %d s), %s message(s) in flight drained, exit code 0",
                        module, seconds, grace.toSeconds(), inFlight.find() ? inFlight.group(1) : "no");
            }
            // Nothing lost: what was not stored is back in (or still in) the queue. Awaited, as the broker may take a
            // moment to requeue what a closed connection held.
            long[] storedAndReady = new long[2];
            await("events stored or queued").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                storedAndReady[0] = storedEvents(marker);
                storedAndReady[1] = DeadLetters.ready(connection, Topology.LOG_QUEUE);
                assertThat(storedAndReady[0] + storedAndReady[1]).as("events stored (%d) and still queued (%d)",
                        storedAndReady[0], storedAndReady[1]).isEqualTo(events);
            });
            long stored = storedAndReady[0];
            long ready = storedAndReady[1];
            report.line("log-consumer: of %d events published just before the stop, %d stored and %d left queued", events,
                    stored, ready);
        }
    }

    private static long storedEvents(String message) throws Exception {
        return count("SELECT count(*) FROM log_events WHERE message = ?", message);
    }

    private static long succeeded(List<UUID> actions) throws Exception {
        long count = 0;
        for (UUID action : actions) {
            count += count("SELECT count(*) FROM bot_action_executions WHERE action_id = ?::uuid AND state = 'SUCCEEDED'",
                    action.toString());
        }
        return count;
    }

    private static long count(String sql, String parameter) throws Exception {
        try (java.sql.Connection connection = TestDatabase.connect(SANDBOX.database());
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        } catch (SQLException e) {
            return -1; // the app has not created its tables yet
        }
    }

    private static Map<String, String> imageEnvironment(String module) {
        Map<String, String> environment = new LinkedHashMap<>();
        String list = IMAGES.get(module).inspect("{{range .Config.Env}}{{println .}}{{end}}");
        list.lines().filter(line -> line.contains("=")).forEach(line -> environment.put(line.substring(0, line.indexOf('=')),
                line.substring(line.indexOf('=') + 1)));
        return environment;
    }

    /** The sum of the heap pools' maximum sizes, as the JVM reports them. */
    private static double heapMaxBytes(int port) {
        return MetricsScrape.scrape(port).lines().filter(line -> line.startsWith("jvm_memory_max_bytes{") && line.contains("area=\"heap\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private static String peakMiB(AppContainer container) {
        String peak = container.execOk("bash", "-c",
                "cat /sys/fs/cgroup/memory.peak 2>/dev/null || cat /sys/fs/cgroup/memory/memory.max_usage_in_bytes 2>/dev/null || echo unknown");
        return peak.matches("\\d+") ? String.valueOf(Long.parseLong(peak) >> 20) : peak;
    }

    private static Set<String> files(Path directory) throws Exception {
        try (Stream<Path> files = Files.walk(directory)) {
            return new TreeSet<>(files.filter(Files::isRegularFile).map(file -> "./" + directory.relativize(file)).toList());
        }
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
