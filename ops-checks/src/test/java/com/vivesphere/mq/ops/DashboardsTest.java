package com.vivesphere.mq.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The dashboards in grafana/dashboards as Grafana's file provisioning loads them: valid JSON, distinct uids, every
 * query on the provisioned Prometheus data source, the worker dashboard covering what operators watch, and the
 * official RabbitMQ overview committed with its origin and license. Whether the queries return data is proven by
 * DashboardQueriesIT.
 */
class DashboardsTest {

    private static final String DATASOURCE_UID = Repo.yaml("grafana/provisioning/datasources/prometheus.yml")
            .path("datasources").get(0).path("uid").asText();
    private static final JsonNode LOG_STORE = Repo.yaml("grafana/provisioning/datasources/logs-postgres.yml")
            .path("datasources").get(0);

    @Test
    void dashboardsHaveDistinctUidsAndUseTheProvisionedDataSource() {
        List<Dashboards.Dashboard> dashboards = Dashboards.all();
        assertThat(dashboards).hasSizeGreaterThanOrEqualTo(2);
        Set<String> uids = new HashSet<>();
        for (Dashboards.Dashboard dashboard : dashboards) {
            assertThat(uids.add(dashboard.json().path("uid").asText())).as(dashboard.file() + " uid is unique").isTrue();
            List<Dashboards.Query> queries = dashboard.queries().isEmpty() ? dashboard.sqlQueries() : dashboard.queries();
            assertThat(queries).as(dashboard.file() + " queries").isNotEmpty()
                    .allSatisfy(query -> assertThat(query.expr()).isNotBlank());
            assertThat(dashboard.queries().isEmpty() || dashboard.sqlQueries().isEmpty())
                    .as(dashboard.file() + " is on one kind of data source").isTrue();
            for (JsonNode panel : dashboard.panels()) {
                assertUsesProvisionedDataSource(dashboard.file() + " / " + panel.path("title").asText(), panel.path("datasource"));
                panel.path("targets").forEach(target -> assertUsesProvisionedDataSource(dashboard.file(), target.path("datasource")));
            }
        }
    }

    /** null (the default data source, which is the provisioned one), a data source variable, or its uid. */
    private static void assertUsesProvisionedDataSource(String where, JsonNode datasource) {
        if (datasource.isMissingNode() || datasource.isNull()) {
            return;
        }
        String reference = datasource.isObject() ? datasource.path("uid").asText() : datasource.asText();
        if (datasource.isObject() && datasource.path("type").asText().equals("grafana")) {
            return;
        }
        assertThat(reference).as(where + " data source").isIn(DATASOURCE_UID, "${DS_PROMETHEUS}", "$DS_PROMETHEUS", "-- Grafana --",
                LOG_STORE.path("uid").asText());
    }

    @Test
    void logsDashboardReadsTheLogStoreAsTheReadOnlyRoleAndLinksToTheWorkers() {
        Dashboards.Dashboard logs = dashboard("vivesphere-logs.json");
        assertThat(LOG_STORE.path("type").asText()).isEqualTo("grafana-postgresql-datasource");
        assertThat(LOG_STORE.path("url").asText()).isEqualTo("postgres:5432");
        assertThat(LOG_STORE.path("user").asText()).isEqualTo("vivesphere_log_reader");
        assertThat(LOG_STORE.path("secureJsonData").path("password").asText()).isEqualTo("${LOG_READER_PASSWORD}");
        assertThat(Repo.read("log-consumer/src/main/resources/db/migration/V5__log_reader_role.sql"))
                .contains("CREATE ROLE vivesphere_log_reader NOLOGIN", "GRANT SELECT ON log_events TO vivesphere_log_reader");
        for (JsonNode panel : logs.panels()) {
            assertThat(panel.path("datasource").path("uid").asText()).as(panel.path("title").asText())
                    .isEqualTo(LOG_STORE.path("uid").asText());
        }
        assertThat(logs.panels()).extracting(panel -> panel.path("type").asText()).contains("logs", "timeseries", "table");
        assertThat(logs.variables()).extracting(Dashboards.Variable::name).containsExactly("service", "level", "search", "trace_id");
        assertThat(logs.variables().get(0).multi()).as("service is multi-select").isTrue();
        String json = logs.json().toString();
        assertThat(json).as("trace id links to its events").contains("var-trace_id=${__value.raw}");
        assertThat(logs.json().path("links").toString()).contains("/d/vivesphere-workers/");
        assertThat(dashboard("vivesphere-workers.json").json().path("links").toString()).contains("/d/vivesphere-logs/");
    }

    private static Dashboards.Dashboard dashboard(String file) {
        return Dashboards.all().stream().filter(d -> d.file().equals(file)).findFirst().orElseThrow();
    }

    @Test
    void workerDashboardCoversWhatOperatorsWatch() {
        Dashboards.Dashboard workers = dashboard("vivesphere-workers.json");
        String queries = String.join("\n", workers.queries().stream().map(Dashboards.Query::expr).toList());
        assertThat(queries).contains(
                "vivesphere_messages_received_total", "vivesphere_messages_acked_total",
                "vivesphere_messages_failed_total", "vivesphere_messages_dead_lettered_total",
                "histogram_quantile(0.5, ", "histogram_quantile(0.99, ", "vivesphere_message_processing_seconds_bucket",
                "vivesphere_message_end_to_end_seconds_bucket",
                "vivesphere_messages_retried_total", "class",
                "rabbitmq_detailed_queue_messages_ready", "rabbitmq_detailed_queue_consumers",
                "queue=\"dead_letter_queue\"",
                "vivesphere_log_events_stored_total", "by (level)",
                "vivesphere_x_rate_limit_remaining", "by (bot)",
                "jvm_memory_used_bytes", "jvm_gc_pause_seconds");
    }

    @Test
    void rabbitmqOverviewIsTheOfficialDashboardWithItsOriginAndLicense() {
        JsonNode overview = Repo.json(Dashboards.DIRECTORY + "/rabbitmq-overview.json");
        assertThat(overview.path("title").asText()).isEqualTo("RabbitMQ-Overview");
        assertThat(overview.path("uid").asText()).isEqualTo("Kn5xm-gZk");
        String readme = Repo.read(Dashboards.DIRECTORY + "/README.md");
        assertThat(readme).contains("rabbitmq-overview.json", "10991", "rabbitmq/rabbitmq-server", "Mozilla Public License");
    }
}
