package com.vivesphere.mq.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.vivesphere.mq.common.codec.MessageCodec;
import com.vivesphere.mq.common.message.LogEvent;
import com.vivesphere.mq.common.message.LogLevel;
import com.vivesphere.mq.common.publish.MessagePublisher;
import com.vivesphere.mq.common.topology.Topology;
import com.vivesphere.mq.testing.BrokerAdmin;
import com.vivesphere.mq.testing.PackagedApp;
import com.vivesphere.mq.testing.PackagedApp.App;
import com.vivesphere.mq.testing.TestDatabase;
import com.vivesphere.mq.testing.VhostAndDatabase;

/**
 * The proof of the Logs dashboard (grafana/dashboards/vivesphere-logs.json), like DashboardQueriesIT's of the PromQL
 * ones: the packaged log-consumer stores log events sent through the broker (its own vhost and database), spread
 * from the start of yesterday (UTC) to now; bot-action-worker's migrations make its tables in the same database, as
 * in docker-compose.yml. Then every panel's SQL and every SQL variable query runs as Grafana's role
 * vivesphere_log_reader, expanded by {@link GrafanaSql}, for the dashboard's default range and for one hour of
 * yesterday, and must return rows. For that hour, EXPLAIN must show only yesterday's partition and an index. The
 * report (rows, times, plans) is written to target/logs-dashboard-proof/logs-dashboard-queries.txt.
 */
class LogsDashboardQueriesIT {

    private static final String READER = "vivesphere_log_reader";
    private static final List<String> SERVICES = List.of("auth", "checkout", "search");
    /** One event every few seconds, each service and level in turn (all of them within two minutes): a day is some 17,000. */
    private static final Duration SPACING = Duration.ofSeconds(5);
    private static final int EVENTS_PER_TRACE = 4;
    private static final Set<String> INDEX_SCANS = Set.of("Index Scan", "Index Only Scan", "Bitmap Index Scan");

    @RegisterExtension
    static final VhostAndDatabase SANDBOX = new VhostAndDatabase();
    private static final Dashboards.Dashboard LOGS = Dashboards.all().stream()
            .filter(d -> d.file().equals("vivesphere-logs.json")).findFirst().orElseThrow();
    private static final Duration MINIMUM_INTERVAL = GrafanaSql.parse(Repo.yaml("grafana/provisioning/datasources/logs-postgres.yml")
            .path("datasources").get(0).path("jsonData").path("timeInterval").asText());

    private static Path work;
    private static PackagedApp logConsumer;
    private static Connection reader;
    private static LocalDate yesterday;
    private static final StringBuilder REPORT = new StringBuilder();

    @BeforeAll
    static void storeADayOfEventsThroughTheBroker() throws Exception {
        work = Files.createDirectories(Repo.path("ops-checks/target/logs-dashboard-proof"));
        logConsumer = PackagedApp.start(App.LOG_CONSUMER, SANDBOX.appEnvironment(), work.resolve("log-consumer.log"));
        logConsumer.awaitReady(Duration.ofSeconds(90));

        Instant now = Instant.now();
        yesterday = LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(1);
        try (Connection admin = TestDatabase.connect(SANDBOX.database())) {
            // The day partitions as partition maintenance keeps them: it runs right after the migration, which
            // readiness does not wait for. Events of a day without its partition go to the default partition.
            await("yesterday's and today's partitions").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> count(admin, "SELECT count(*) FROM pg_class WHERE relname IN ('" + partition(yesterday)
                            + "', '" + partition(yesterday.plusDays(1)) + "')") == 2);
        }
        long started = System.nanoTime();
        int sent = sendEvents(yesterday.atStartOfDay(ZoneOffset.UTC).toInstant(), now.minusSeconds(30));
        try (Connection admin = TestDatabase.connect(SANDBOX.database())) {
            await("every event stored").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .until(() -> count(admin, "SELECT count(*) FROM log_events") == sent);
            REPORT.append(sent).append(" events sent and stored in ").append(Duration.ofNanos(System.nanoTime() - started).toMillis())
                    .append(" ms\n");
            for (Path migration : botWorkerMigrations()) {
                try (Statement statement = admin.createStatement()) {
                    statement.execute(Files.readString(migration));
                }
            }
            // what autovacuum does on its own after such a load: the planner's statistics of the new rows
            try (Statement statement = admin.createStatement()) {
                statement.execute("ANALYZE log_events");
            }
        }
        reader = TestDatabase.connect(SANDBOX.database());
        try (Statement statement = reader.createStatement()) {
            statement.execute("SET ROLE " + READER);
        }
    }

    /** Events from {@code from} to {@code to}, each service and level in turn, a few per trace; returns how many. */
    private static int sendEvents(Instant from, Instant to) throws Exception {
        MessageCodec codec = new MessageCodec();
        LogLevel[] levels = LogLevel.values();
        int sent = 0;
        try (com.rabbitmq.client.Connection connection = new BrokerAdmin().connect(SANDBOX.vhost());
                MessagePublisher publisher = new MessagePublisher(connection, Duration.ofSeconds(60))) {
            for (Instant time = from; time.isBefore(to); time = time.plus(SPACING)) {
                String service = SERVICES.get(sent % SERVICES.size());
                LogEvent event = new LogEvent(LogEvent.SCHEMA_VERSION, UUID.randomUUID(), OffsetDateTime.ofInstant(time, ZoneOffset.UTC),
                        service, levels[(sent / SERVICES.size()) % levels.length], "dashboard proof event " + sent,
                        "com.example." + service, "trace-" + sent / EVENTS_PER_TRACE, null, Map.of("n", String.valueOf(sent)));
                publisher.publishRaw(Topology.LOG_EXCHANGE, event.routingKey(),
                        MessagePublisher.properties(event.id().toString(), LogEvent.MESSAGE_TYPE), codec.encode(event));
                sent++;
            }
            publisher.awaitConfirms();
        }
        return sent;
    }

    private static String partition(LocalDate day) {
        return "log_events_p" + day.format(DateTimeFormatter.BASIC_ISO_DATE);
    }

    private static List<Path> botWorkerMigrations() throws IOException {
        try (Stream<Path> files = Files.list(Repo.path("bot-action-worker/src/main/resources/db/migration"))) {
            return files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql"))
                    .sorted((a, b) -> Integer.compare(version(a), version(b))).toList();
        }
    }

    private static int version(Path migration) {
        String name = migration.getFileName().toString();
        return Integer.parseInt(name.substring(1, name.indexOf("__")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (reader != null) {
            reader.close();
        }
        if (logConsumer != null) {
            logConsumer.close();
        }
        Files.writeString(work.resolve("logs-dashboard-queries.txt"), REPORT);
        System.out.println(REPORT);
    }

    /** [from, to] of the dashboard's default range, ending now. */
    private static Instant[] defaultRange() {
        Instant now = Instant.now();
        return new Instant[] { now.minus(LOGS.defaultRange()), now };
    }

    /** 12:00 to 13:00 UTC yesterday: within one day partition, whatever the time of day the test runs. */
    private static Instant[] anHourOfYesterday() {
        Instant from = yesterday.atTime(12, 0).toInstant(ZoneOffset.UTC);
        return new Instant[] { from, from.plus(1, ChronoUnit.HOURS) };
    }

    @Test
    void everyPanelAndVariableQueryReturnsRowsForTheDefaultRangeAndAnHour() throws SQLException {
        List<String> failures = new ArrayList<>();
        for (Instant[] range : List.of(defaultRange(), anHourOfYesterday())) {
            Map<String, GrafanaSql.Value> variables = resolveVariables(range, Map.of());
            REPORT.append("\nrange ").append(range[0]).append(" .. ").append(range[1]).append(", variables ").append(variables)
                    .append('\n');
            for (PanelSql query : statements(range, variables)) {
                try {
                    long start = System.nanoTime();
                    int rows = rows(query.sql()).size();
                    long micros = (System.nanoTime() - start) / 1000;
                    REPORT.append(rows > 0 ? "OK     " : "EMPTY  ").append(rows).append(" rows, ").append(micros / 1000.0)
                            .append(" ms  ").append(query.name()).append('\n');
                    if (rows == 0) {
                        failures.add("no rows: " + query.name() + " " + range[0] + ": " + query.sql());
                    }
                } catch (SQLException e) {
                    failures.add(query.name() + ": " + e.getMessage() + " in " + query.sql());
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void aRangeWithoutEventsGivesEmptyPanelsAndNoError() throws SQLException {
        // a new installation, or a quiet hour: no service to offer, "All" still selected
        Instant from = yesterday.minusDays(30).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant[] range = { from, from.plus(1, ChronoUnit.HOURS) };
        Map<String, GrafanaSql.Value> variables = resolveVariables(range, Map.of());
        for (PanelSql query : statements(range, variables)) {
            assertThat(rows(query.sql())).as(query.name()).isEmpty();
        }
    }

    @Test
    void anHoursPlansTouchOnlyThatDaysPartitionAndUseAnIndex() throws SQLException {
        Instant[] hour = anHourOfYesterday();
        String partition = partition(yesterday);
        List<String> failures = new ArrayList<>();
        REPORT.append("\nplans for ").append(hour[0]).append(" .. ").append(hour[1]).append('\n');
        for (PanelSql query : statements(hour, resolveVariables(hour, Map.of()))) {
            JsonNode plan = explain(query.sql());
            Set<String> relations = new LinkedHashSet<>();
            Set<String> nodes = new LinkedHashSet<>();
            Set<String> indexes = new LinkedHashSet<>();
            walk(plan, relations, nodes, indexes);
            REPORT.append(query.name()).append(": ").append(relations).append(' ').append(nodes).append(' ').append(indexes)
                    .append('\n');
            if (!relations.equals(Set.of(partition))) {
                failures.add(query.name() + " reads " + relations + ", not only " + partition);
            }
            if (nodes.stream().noneMatch(INDEX_SCANS::contains)) {
                failures.add(query.name() + " uses no index: " + nodes);
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void aTraceIdLinksToEveryEventOfThatTrace() throws SQLException {
        Instant[] range = defaultRange();
        Map<String, Object> newest = rows(logsPanel(range, Map.of())).get(0);
        String trace = (String) newest.get("trace_id");
        List<Map<String, Object>> events = rows(logsPanel(range, Map.of("trace_id", trace)));
        assertThat(events).isNotEmpty().hasSizeLessThanOrEqualTo(EVENTS_PER_TRACE)
                .allSatisfy(event -> assertThat(event.get("trace_id")).isEqualTo(trace));
        try (Connection admin = TestDatabase.connect(SANDBOX.database())) {
            assertThat(events).hasSize((int) count(admin, "SELECT count(*) FROM log_events WHERE trace_id = '" + trace
                    + "' AND event_time >= '" + range[0] + "'"));
        }
    }

    @Test
    void theTextFilterFindsASubstringOfTheMessageWhateverItsCaseAndQuotes() throws SQLException {
        Instant[] range = defaultRange();
        String newest = (String) rows(logsPanel(range, Map.of())).get(0).get("message");
        // "dashboard proof event 12345" -> "PROOF EVENT 1234": the newest event and its neighbours by number
        String part = newest.substring("dashboard ".length(), newest.length() - 1);
        List<Map<String, Object>> events = rows(logsPanel(range, Map.of("search", part.toUpperCase(Locale.ROOT))));
        assertThat(events).isNotEmpty().hasSizeLessThanOrEqualTo(10)
                .allSatisfy(event -> assertThat((String) event.get("message")).contains(part));
        assertThat(rows(logsPanel(range, Map.of("search", "it's; DROP TABLE log_events; --")))).as("a quote stays text")
                .isEmpty();
    }

    @Test
    void aServiceOfTheErrorTableLinksToItsErrorsAndFatalsNewestFirst() throws SQLException {
        Instant[] range = defaultRange();
        Dashboards.Query errors = panelQuery("Most ERROR / FATAL");
        String service = (String) rows(GrafanaSql.expand(errors.expr(), resolveVariables(range, Map.of()), range[0], range[1],
                MINIMUM_INTERVAL)).get(0).get("service");
        // the link of the error table: var-service=<service>&var-level=4 (ERROR)
        List<Map<String, Object>> events = rows(logsPanel(range, Map.of("service", service, "level", "4")));
        assertThat(events).isNotEmpty()
                .allSatisfy(event -> assertThat(event.get("service")).isEqualTo(service))
                .allSatisfy(event -> assertThat(event.get("level")).isIn("error", "critical"));
        List<Instant> times = events.stream().map(e -> ((Timestamp) e.get("time")).toInstant()).toList();
        assertThat(times).isSortedAccordingTo((a, b) -> b.compareTo(a));
        assertThat(errors.expr()).as("the table counts what the link shows").contains("level >= 4");
    }

    @Test
    void theReaderRoleReadsTheLogTableAndNoOtherTable() throws SQLException {
        List<Map<String, Object>> privileges = rows("""
                SELECT c.relname, has_table_privilege('%1$s', c.oid, 'SELECT') AS can_select,
                       has_table_privilege('%1$s', c.oid, 'INSERT,UPDATE,DELETE,TRUNCATE') AS can_write
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm')""".formatted(READER));
        assertThat(privileges).extracting(p -> p.get("relname")).contains("log_events", "bot_action_executions",
                "x_bot_tokens", "x_rate_limits");
        assertThat(privileges).filteredOn(p -> (Boolean) p.get("can_select")).extracting(p -> p.get("relname"))
                .containsExactly("log_events");
        assertThat(privileges).filteredOn(p -> (Boolean) p.get("can_write")).isEmpty();
        try (Statement statement = reader.createStatement()) {
            assertThatThrownBy(() -> statement.executeQuery("SELECT * FROM x_bot_tokens"))
                    .hasMessageContaining("permission denied");
        }
    }

    /** A statement Grafana would run: a panel's query or a variable's, by name. */
    private record PanelSql(String name, String sql) {
    }

    private static List<PanelSql> statements(Instant[] range, Map<String, GrafanaSql.Value> variables) {
        List<PanelSql> statements = new ArrayList<>();
        for (Dashboards.Variable variable : LOGS.variables()) {
            if (variable.type().equals("query")) {
                statements.add(new PanelSql("variable $" + variable.name(),
                        GrafanaSql.expand(variable.query(), variables, range[0], range[1], MINIMUM_INTERVAL)));
            }
        }
        for (Dashboards.Query query : LOGS.sqlQueries()) {
            statements.add(new PanelSql(query.toString(),
                    GrafanaSql.expand(query.expr(), variables, range[0], range[1], interval(query, range))));
        }
        return statements;
    }

    private static Duration interval(Dashboards.Query query, Instant[] range) {
        int maxDataPoints = LOGS.panels().stream().filter(p -> p.path("title").asText().equals(query.panel())).findFirst()
                .orElseThrow().path("maxDataPoints").asInt(1000);
        return GrafanaSql.interval(Duration.between(range[0], range[1]), maxDataPoints, MINIMUM_INTERVAL);
    }

    private static Dashboards.Query panelQuery(String title) {
        return LOGS.sqlQueries().stream().filter(q -> q.panel().equals(title)).findFirst().orElseThrow();
    }

    private static String logsPanel(Instant[] range, Map<String, String> pinned) throws SQLException {
        Dashboards.Query logs = LOGS.sqlQueries().stream().filter(q -> q.panel().equals("Log events")).findFirst().orElseThrow();
        return GrafanaSql.expand(logs.expr(), resolveVariables(range, pinned), range[0], range[1], interval(logs, range));
    }

    /**
     * The values Grafana gives the variables: a query variable's options from its SQL (run as the reader), for "All"
     * (its default) its custom all value or else every option; a custom variable's current value; a text box's
     * current text; a pinned value where the test gives one (a query or custom variable's must be among its options).
     */
    private static Map<String, GrafanaSql.Value> resolveVariables(Instant[] range, Map<String, String> pinned)
            throws SQLException {
        Map<String, GrafanaSql.Value> values = new LinkedHashMap<>();
        for (Dashboards.Variable variable : LOGS.variables()) {
            JsonNode definition = variableJson(variable.name());
            String current = definition.path("current").path("value").isArray()
                    ? definition.path("current").path("value").path(0).asText()
                    : definition.path("current").path("value").asText();
            switch (variable.type()) {
                case "query" -> {
                    List<String> options = rows(GrafanaSql.expand(variable.query(), values, range[0], range[1], MINIMUM_INTERVAL))
                            .stream().map(row -> String.valueOf(row.values().iterator().next())).toList();
                    String chosen = pinned.getOrDefault(variable.name(), current);
                    if (!chosen.equals("$__all")) {
                        assertThat(options).as("options of $" + variable.name()).contains(chosen);
                        values.put(variable.name(), new GrafanaSql.Value(List.of(chosen), variable.multi() || variable.includeAll()));
                    } else if (variable.allValue() != null) {
                        // Grafana inserts a custom all value as it is, neither quoted nor escaped
                        values.put(variable.name(), GrafanaSql.Value.single(variable.allValue()));
                    } else {
                        values.put(variable.name(), new GrafanaSql.Value(options, true));
                    }
                }
                case "custom" -> {
                    List<String> options = new ArrayList<>();
                    definition.path("options").forEach(o -> options.add(o.path("value").asText()));
                    String chosen = pinned.getOrDefault(variable.name(), current);
                    assertThat(options).as("options of $" + variable.name()).contains(chosen);
                    values.put(variable.name(), new GrafanaSql.Value(List.of(chosen), variable.multi() || variable.includeAll()));
                }
                case "textbox" -> values.put(variable.name(), GrafanaSql.Value.single(pinned.getOrDefault(variable.name(), current)));
                default -> throw new IllegalArgumentException("variable $" + variable.name() + " of type " + variable.type()
                        + " is not supported by this check");
            }
        }
        return values;
    }

    private static JsonNode variableJson(String name) {
        for (JsonNode variable : LOGS.json().path("templating").path("list")) {
            if (variable.path("name").asText().equals(name)) {
                return variable;
            }
        }
        throw new IllegalArgumentException(name);
    }

    private static List<Map<String, Object>> rows(String sql) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Statement statement = reader.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= columns; i++) {
                    row.put(result.getMetaData().getColumnLabel(i), result.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static JsonNode explain(String sql) throws SQLException {
        try (Statement statement = reader.createStatement(); ResultSet result = statement.executeQuery("EXPLAIN (FORMAT JSON) " + sql)) {
            result.next();
            return Repo.JSON.readTree(result.getString(1)).get(0).path("Plan");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void walk(JsonNode plan, Set<String> relations, Set<String> nodes, Set<String> indexes) {
        nodes.add(plan.path("Node Type").asText());
        if (plan.hasNonNull("Relation Name")) {
            relations.add(plan.path("Relation Name").asText());
        }
        if (plan.hasNonNull("Index Name")) {
            indexes.add(plan.path("Index Name").asText());
        }
        plan.path("Plans").forEach(child -> walk(child, relations, nodes, indexes));
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }
}
