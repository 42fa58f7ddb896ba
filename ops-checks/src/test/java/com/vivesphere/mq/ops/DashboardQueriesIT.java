package com.vivesphere.mq.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Connection;
import com.vivesphere.mq.common.publish.MessagePublisher;
import com.vivesphere.mq.testing.BrokerAdmin;
import com.vivesphere.mq.testing.LoopbackPort;
import com.vivesphere.mq.testing.MetricsScrape;
import com.vivesphere.mq.testing.PackagedApp;
import com.vivesphere.mq.testing.PackagedApp.App;
import com.vivesphere.mq.testing.SampleMessages;
import com.vivesphere.mq.testing.VhostAndDatabase;
import com.vivesphere.mq.testing.XApiStub;
import com.vivesphere.mq.common.topology.Topology;

/**
 * The monitoring proof. Runs both packaged apps as separate JVMs against the local broker (a vhost of their own)
 * and PostgreSQL (a database of their own), the real Prometheus server with the repository's prometheus.yml (only
 * the targets' addresses changed to the local ones), sends log events and bot actions (valid and invalid ones),
 * then evaluates every query of every panel of every dashboard in grafana/dashboards through Prometheus' HTTP API,
 * as Grafana would, with the dashboards' variables resolved. Fails if any query returns no series or an error;
 * there is no list of queries allowed to be empty. The report is written to target/dashboard-queries.txt. Also: the
 * compose health checks and the Kubernetes probes and scrape paths (deploy/kubernetes) answer on the running apps.
 */
class DashboardQueriesIT {

    private static final int BROKER_PROMETHEUS_PORT = Integer.parseInt(
            System.getenv().getOrDefault("TEST_RABBITMQ_PROMETHEUS_PORT", "15692"));
    private static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL");
    private static final int EVENTS_PER_LEVEL = 5;
    private static final int BOTS = 3;
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*(?:(.*?)\\s*,\\s*)?(\\w+)\\s*\\)");

    private static final BrokerAdmin ADMIN = new BrokerAdmin();
    private static final List<AutoCloseable> RUNNING = new ArrayList<>();
    private static Path work;
    @RegisterExtension
    static final VhostAndDatabase SANDBOX = new VhostAndDatabase();
    private static PackagedApp logConsumer;
    private static PackagedApp botWorker;
    private static PrometheusServer prometheus;
    private static Instant trafficSent;

    @BeforeAll
    static void startAppsPrometheusAndSendTraffic() throws Exception {
        work = Files.createDirectories(Repo.path("ops-checks/target/dashboard-proof"));

        Map<String, String> environment = SANDBOX.appEnvironment();
        logConsumer = running(PackagedApp.start(App.LOG_CONSUMER, environment, work.resolve("log-consumer.log")));

        // bot-action-worker's settings for executing actions on X, and its database: a worker that executes
        // actions calls the local stand-in, never the real X (and so reports X's rate-limit headers); a worker
        // without these settings ignores them.
        XApiStub xApi = running(new XApiStub(Duration.ZERO));
        Map<String, String> botWorkerEnvironment = new HashMap<>(environment);
        botWorkerEnvironment.putAll(xApi.env(xApi.credentialsFile(work, "refresh-", BOTS)));
        botWorker = running(PackagedApp.start(App.BOT_ACTION_WORKER, botWorkerEnvironment, work.resolve("bot-action-worker.log")));
        await("both apps ready").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> ready(logConsumer) && ready(botWorker));

        Map<String, String> localAddresses = Map.of(
                "log-consumer:8081", "localhost:" + logConsumer.port(),
                "bot-action-worker:8082", "localhost:" + botWorker.port(),
                "rabbitmq:15692", BrokerAdmin.HOST + ":" + BROKER_PROMETHEUS_PORT);
        Path config = PrometheusConfig.withTargets(localAddresses, work.resolve("prometheus.yml"));
        prometheus = running(PrometheusServer.start(config, work));
        await("Prometheus ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(prometheus::ready);
        await("every target scraped").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    List<String> targets = prometheus.targets();
                    return targets.size() == PrometheusConfig.targetCount(PrometheusConfig.read())
                            && targets.stream().allMatch(t -> t.split(" ")[2].equals("up"));
                });

        sendTraffic();
        trafficSent = Instant.now();
        await("traffic processed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                sum(logConsumer, "vivesphere_log_events_stored_total") >= LEVELS.size() * EVENTS_PER_LEVEL
                        && sum(logConsumer, "vivesphere_messages_dead_lettered_total") >= 1
                        && sum(botWorker, "vivesphere_messages_received_total") >= BOTS + 1
                        && sum(botWorker, "vivesphere_messages_dead_lettered_total") >= 1);
    }

    /** True once /q/health/ready answers 200; fails if the app exited. */
    private static boolean ready(PackagedApp app) {
        if (!app.isAlive()) {
            throw new IllegalStateException(app.name() + " exited before it was ready:\n" + app.tail(40));
        }
        return app.status("/q/health/ready") == 200;
    }

    private static <T extends AutoCloseable> T running(T process) {
        RUNNING.add(0, process);
        return process;
    }

    /** Log events of every level and bot actions of several bots, plus one invalid message of each kind. */
    private static void sendTraffic() throws Exception {
        try (Connection connection = ADMIN.connect(SANDBOX.vhost());
                MessagePublisher publisher = new MessagePublisher(connection, Duration.ofSeconds(30))) {
            for (String level : LEVELS) {
                for (int i = 0; i < EVENTS_PER_LEVEL; i++) {
                    UUID id = UUID.randomUUID();
                    publisher.publishRaw(Topology.LOG_EXCHANGE, level.toLowerCase() + ".test-service",
                            MessagePublisher.properties(id.toString(), "LogEvent"),
                            SampleMessages.logEvent(id, level, "dashboard proof").getBytes(StandardCharsets.UTF_8));
                }
            }
            for (int bot = 1; bot <= BOTS; bot++) {
                UUID id = UUID.randomUUID();
                publisher.publishRaw(Topology.BOT_ACTION_EXCHANGE, "like.bot-" + bot,
                        MessagePublisher.properties(id.toString(), "BotAction"),
                        SampleMessages.likeAction(id, "bot-" + bot).getBytes(StandardCharsets.UTF_8));
            }
            // dead letters: a body that is no JSON, and an action without its id
            publisher.publishRaw(Topology.LOG_EXCHANGE, "info.test-service",
                    MessagePublisher.properties(UUID.randomUUID().toString(), "LogEvent"),
                    "{not json".getBytes(StandardCharsets.UTF_8));
            publisher.publishRaw(Topology.BOT_ACTION_EXCHANGE, "like.bot-1",
                    MessagePublisher.properties(UUID.randomUUID().toString(), "BotAction"),
                    "{\"schemaVersion\":1,\"botId\":\"bot-1\",\"type\":\"LIKE\"}".getBytes(StandardCharsets.UTF_8));
            publisher.awaitConfirms();
        }
    }

    /** The sum of every sample of a metric in an app's /q/metrics. */
    private static double sum(PackagedApp app, String metric) {
        double sum = 0;
        for (String line : MetricsScrape.scrape(app.port()).split("\n")) {
            if (line.startsWith(metric + "{") || line.startsWith(metric + " ")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    @AfterAll
    static void stopEverything() throws Exception {
        for (AutoCloseable process : RUNNING) {
            process.close();
        }
        RUNNING.clear();
    }

    @Test
    void everyQueryOfEveryPanelReturnsSeries() throws IOException {
        // the dashboards on Prometheus; the SQL ones (the log store) are LogsDashboardQueriesIT's
        List<Dashboards.Dashboard> dashboards = Dashboards.all().stream().filter(d -> !d.queries().isEmpty()).toList();
        assertThat(dashboards).extracting(Dashboards.Dashboard::file)
                .contains("vivesphere-workers.json", "rabbitmq-overview.json");
        Map<String, String> pinned = Map.of("vhost", SANDBOX.vhost());
        List<Result> results = new ArrayList<>();
        try {
            // rates need two scrapes of a series after it appeared: wait for them, never longer than needed
            await("every dashboard query returns series").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(5))
                    .until(() -> {
                        results.clear();
                        for (Dashboards.Dashboard dashboard : dashboards) {
                            results.addAll(evaluate(dashboard, pinned));
                        }
                        return results.stream().allMatch(Result::ok);
                    });
        } catch (ConditionTimeoutException e) {
            // the assertion below names every query that returned nothing
        }
        writeReport(results);
        List<String> failed = results.stream().filter(r -> !r.ok()).map(Result::toString).toList();
        assertThat(results).hasSizeGreaterThan(0);
        assertThat(failed).as("%d of %d dashboard queries returned no series or failed (report: %s)",
                failed.size(), results.size(), work.resolve("dashboard-queries.txt")).isEmpty();
    }

    @Test
    void composeHealthChecksPassAgainstTheRunningApps() throws Exception {
        JsonNode services = Repo.yaml("docker-compose.yml").path("services");
        for (PackagedApp app : List.of(logConsumer, botWorker)) {
            List<String> test = ComposeFileTest.strings(services.path(app.name()).path("healthcheck").path("test"));
            assertThat(test.subList(0, 3)).containsExactly("CMD", "bash", "-c");
            int containerPort = app.name().equals("log-consumer") ? 8081 : 8082;
            // compose's $$ is a literal $; the container's port is the app's local one here
            String command = test.get(3).replace("$$", "$").replace("/" + containerPort + " ", "/" + app.port() + " ");
            assertThat(command).contains("/" + app.port() + " ");
            assertThat(run("bash", "-c", command)).as(app.name() + " healthy when ready").isZero();
            String closed = command.replace("/" + app.port() + " ", "/" + LoopbackPort.free() + " ");
            assertThat(run("bash", "-c", closed)).as(app.name() + " health check against a closed port").isNotZero();
        }
    }

    @Test
    void theRunningAppsAnswerOnTheKubernetesProbeAndScrapePaths() {
        for (String overlay : KubernetesOverlays.OVERLAYS) {
            for (PackagedApp app : List.of(logConsumer, botWorker)) {
                JsonNode container = KubernetesOverlays.container(KubernetesOverlays.deployment(overlay, app.name()));
                for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                    String path = container.path(probe).path("httpGet").path("path").asText();
                    assertThat(app.status(path)).as(overlay + " " + app.name() + " " + probe + " " + path).isEqualTo(200);
                }
                String metrics = KubernetesOverlays.one(overlay, "ServiceMonitor", app.name()).path("spec").path("endpoints").get(0)
                        .path("path").asText();
                assertThat(app.status(metrics)).as(overlay + " " + app.name() + " ServiceMonitor " + metrics).isEqualTo(200);
            }
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return process.waitFor();
    }

    record Result(Dashboards.Query query, String expr, int series, String error) {

        boolean ok() {
            return error == null && series > 0;
        }

        @Override
        public String toString() {
            return (error != null ? "ERROR " + error : series + " series") + "  " + query + "  " + expr;
        }
    }

    private List<Result> evaluate(Dashboards.Dashboard dashboard, Map<String, String> pinned) {
        List<Result> results = new ArrayList<>();
        Map<String, String> values;
        try {
            values = resolveVariables(dashboard, pinned);
        } catch (RuntimeException e) {
            results.add(new Result(new Dashboards.Query(dashboard.title(), "(variables)", "-", "-"), "-", 0, e.getMessage()));
            return results;
        }
        for (Dashboards.Query query : dashboard.queries()) {
            String expr = Dashboards.interpolate(query.expr(), values);
            try {
                results.add(new Result(query, expr, prometheus.seriesCount(expr, trafficSent, Duration.ofSeconds(10)), null));
            } catch (IllegalArgumentException e) {
                results.add(new Result(query, expr, 0, e.getMessage()));
            }
        }
        return results;
    }

    /**
     * The values Grafana would give the dashboard's variables: built-in intervals from the scrape interval and the
     * dashboard's time range, query variables from Prometheus (label_values) in dashboard order, a pinned value
     * where the test gives one (it must be among the variable's options), the first option otherwise, all options
     * for "All" variables, and "" for a variable without options (Grafana's "None").
     */
    private Map<String, String> resolveVariables(Dashboards.Dashboard dashboard, Map<String, String> pinned) {
        Duration scrape = PrometheusConfig.scrapeInterval(PrometheusConfig.read());
        Duration range = dashboard.defaultRange();
        Map<String, String> values = new LinkedHashMap<>();
        values.put("__interval", scrape.toSeconds() + "s");
        values.put("__interval_ms", String.valueOf(scrape.toMillis()));
        values.put("__rate_interval", scrape.multipliedBy(4).toSeconds() + "s");
        values.put("__range", range.toSeconds() + "s");
        values.put("__range_s", String.valueOf(range.toSeconds()));
        for (Dashboards.Variable variable : dashboard.variables()) {
            switch (variable.type()) {
                case "datasource" -> values.put(variable.name(), "prometheus");
                case "constant", "textbox" -> values.put(variable.name(), variable.query());
                case "custom", "interval" -> values.put(variable.name(), variable.query().split(",")[0].strip());
                case "query" -> {
                    Matcher labelValues = LABEL_VALUES.matcher(Dashboards.interpolate(variable.query(), values));
                    if (!labelValues.matches()) {
                        throw new IllegalArgumentException("variable $" + variable.name() + ": query not supported by this"
                                + " check: " + variable.query());
                    }
                    String selector = labelValues.group(1) == null ? "" : labelValues.group(1);
                    List<String> options = prometheus.labelValues(labelValues.group(2), selector).stream().sorted().toList();
                    String value;
                    if (pinned.containsKey(variable.name())) {
                        value = pinned.get(variable.name());
                        if (!options.contains(value)) {
                            throw new IllegalArgumentException("variable $" + variable.name() + " does not offer " + value
                                    + " (options: " + options + ")");
                        }
                    } else if (options.isEmpty()) {
                        value = "";
                    } else if (variable.includeAll()) {
                        value = variable.allValue() != null ? variable.allValue()
                                : "(" + String.join("|", options.stream().map(Pattern::quote).toList()) + ")";
                    } else {
                        value = options.get(0);
                    }
                    values.put(variable.name(), value);
                }
                default -> throw new IllegalArgumentException("variable $" + variable.name() + " of type " + variable.type()
                        + " is not supported by this check");
            }
        }
        return values;
    }

    private static void writeReport(List<Result> results) throws IOException {
        StringBuilder report = new StringBuilder("Dashboard queries evaluated by DashboardQueriesIT against Prometheus ("
                + Instant.now() + "), vhost " + SANDBOX.vhost() + "\n");
        long ok = results.stream().filter(Result::ok).count();
        report.append(ok).append(" of ").append(results.size()).append(" queries returned series\n\n");
        results.forEach(r -> report.append(r.ok() ? "OK     " : "EMPTY  ").append(r).append('\n'));
        Files.writeString(work.resolve("dashboard-queries.txt"), report);
        System.out.println(report);
    }
}
