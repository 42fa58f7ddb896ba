package com.vivesphere.mq.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.vivesphere.mq.testing.PackagedApp;
import com.vivesphere.mq.testing.PackagedApp.App;
import com.vivesphere.mq.testing.SmallRyeRabbitMQ;
import com.vivesphere.mq.testing.TestDatabase;
import com.vivesphere.mq.testing.TestKeyPair;
import com.vivesphere.mq.testing.VhostAndDatabase;

/**
 * The packaged applications' start-up guards: they depend on the configuration profile, not on how the jar
 * was started (a packaged jar in the dev profile runs the dev defaults); production refuses what would lose
 * messages unless it is explicitly allowed; a channel on the Quarkus extension's connector is refused a
 * prefetch that connector's stream cannot hold.
 */
class ProfileGuardsIT {

    private static final Duration START = Duration.ofSeconds(60);
    private static Path work;
    @RegisterExtension
    static final VhostAndDatabase SANDBOX = new VhostAndDatabase();

    @BeforeAll
    static void provision() throws Exception {
        work = Files.createDirectories(Repo.path("ops-checks/target/profile-guards"));
    }

    private static Map<String, String> environment(Map<String, String> settings) {
        Map<String, String> env = new HashMap<>(SANDBOX.appEnvironment());
        env.putAll(settings);
        return env;
    }

    private static void assertReady(App app, Map<String, String> settings, String log) {
        try (PackagedApp process = PackagedApp.start(app, environment(settings), work.resolve(log))) {
            process.awaitReady(START);
            assertThat(process.terminate(START)).as(app.module() + " exit code (143: after SIGTERM, shutdown completed)")
                    .isIn(0, 143);
            // nothing from start to stop that a user could not act on
            assertThat(process.log()).doesNotContain("ERROR").doesNotContain("This Gauge has been already registered")
                    .doesNotContain("Partition maintenance failed");
        }
    }

    private static void assertRefused(App app, Map<String, String> settings, String log, String message) throws Exception {
        Path output = work.resolve(log);
        try (PackagedApp process = PackagedApp.start(app, environment(settings), output)) {
            assertThat(process.waitFor(START)).as(app.module() + " exited by itself").isTrue();
            assertThat(process.exitValue()).as(app.module() + " exit code").isNotZero();
        }
        // the reason, and no noise of the start-up work that the refusal interrupted
        assertThat(Files.readString(output)).contains(message).doesNotContain("Database migration failed");
    }

    @Test
    void aPackagedBotWorkerInTheDevProfileRunsItsDryRunDefault() throws Exception {
        // The dev profile's own database settings (%dev.*) outrank the plain variables: set them the same way.
        Map<String, String> dev = environment(Map.of());
        assertReady(App.BOT_ACTION_WORKER, Map.of("QUARKUS_PROFILE", "dev",
                "_DEV_QUARKUS_DATASOURCE_REACTIVE_URL", dev.get("QUARKUS_DATASOURCE_REACTIVE_URL"),
                "_DEV_QUARKUS_DATASOURCE_USERNAME", TestDatabase.USER), "bot-action-worker-dev.log");
    }

    @Test
    void productionRefusesTheDefaultCredentialsAndSaysOnlyThat() throws Exception {
        for (App app : App.values()) {
            String log = app.module() + "-guest-refused.log";
            assertRefused(app, Map.of("VIVESPHERE_RABBITMQ_ALLOW_DEFAULT_CREDENTIALS", "false"), log,
                    "Refusing to start with RabbitMQ's default guest/guest credentials");
        }
    }

    @Test
    void productionRefusesTheDryRunUnlessAllowed() throws Exception {
        assertRefused(App.BOT_ACTION_WORKER, Map.of("BOT_EXECUTOR", "dry-run"), "bot-action-worker-dry-run.log",
                "BOT_WORKER_ALLOW_DRY_RUN=true");
        assertReady(App.BOT_ACTION_WORKER, Map.of("BOT_EXECUTOR", "dry-run", "BOT_WORKER_ALLOW_DRY_RUN", "true"),
                "bot-action-worker-dry-run-allowed.log");
    }

    @Test
    void aChannelOnTheExtensionsConnectorIsRefusedAPrefetchItsStreamCannotHold() throws Exception {
        Map<String, String> smallRye = Map.of("MP_MESSAGING_INCOMING_LOG_EVENTS_CONNECTOR", SmallRyeRabbitMQ.CONNECTOR,
                "MP_MESSAGING_INCOMING_URGENT_LOG_EVENTS_CONNECTOR", SmallRyeRabbitMQ.CONNECTOR);
        assertRefused(App.LOG_CONSUMER, smallRye, "log-consumer-smallrye-prefetch-1000.log",
                "Channel log-events on smallrye-rabbitmq needs max-outstanding-messages between 1 and 256");
        Map<String, String> withPrefetch = new HashMap<>(smallRye);
        withPrefetch.put("LOG_CONSUMER_PREFETCH", "256");
        assertReady(App.LOG_CONSUMER, withPrefetch, "log-consumer-smallrye-prefetch-256.log");
    }

    @Test
    void productionRefusesToAckLogEventsWithoutStoringThemUnlessAllowed() throws Exception {
        assertRefused(App.LOG_CONSUMER, Map.of("LOG_CONSUMER_STORAGE_ENABLED", "false"), "log-consumer-no-storage.log",
                "LOG_CONSUMER_ALLOW_STORAGE_DISABLED=true");
        assertReady(App.LOG_CONSUMER, Map.of("LOG_CONSUMER_STORAGE_ENABLED", "false", "LOG_CONSUMER_ALLOW_STORAGE_DISABLED", "true"),
                "log-consumer-no-storage-allowed.log");
    }

    @Test
    void productionRefusesAQueryApiThatChecksTokensWithoutAKeyAndRunsWithOne() throws Exception {
        assertRefused(App.LOG_CONSUMER, Map.of("LOG_CONSUMER_API_ACCESS", "logs-reader"), "log-consumer-api-without-key.log",
                "has no key to verify them: set MP_JWT_VERIFY_PUBLICKEY_LOCATION");
        Path key = new TestKeyPair().writePublicKey(work.resolve("jwt-public-key.pem"));
        assertReady(App.LOG_CONSUMER, Map.of("LOG_CONSUMER_API_ACCESS", "logs-reader", "MP_JWT_VERIFY_PUBLICKEY_LOCATION",
                key.toString()), "log-consumer-api-with-key.log");
    }
}
