package com.vivesphere.mq.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * infrastructure/prometheus/prometheus.yml: scraping both apps'
 * /q/metrics and the broker's node-wide and per-queue endpoints, at the compose services' names and ports (that
 * Prometheus itself accepts it: {@link PackagedAppsIT}).
 */
class PrometheusConfigTest {

    private final JsonNode config = PrometheusConfig.read();

    @Test
    void scrapesBothAppsAndTheBrokerAtTheirComposeAddresses() {
        Map<String, JsonNode> jobs = new HashMap<>();
        config.path("scrape_configs").forEach(job -> jobs.put(job.path("job_name").asText(), job));
        assertThat(jobs).containsOnlyKeys("log-consumer", "bot-action-worker", "rabbitmq", "rabbitmq-queues");

        assertJob(jobs.get("log-consumer"), "/q/metrics", "log-consumer:8081");
        assertJob(jobs.get("bot-action-worker"), "/q/metrics", "bot-action-worker:8082");
        assertJob(jobs.get("rabbitmq"), "/metrics", "rabbitmq:15692");
        assertJob(jobs.get("rabbitmq-queues"), "/metrics/detailed", "rabbitmq:15692");
        assertThat(ComposeFileTest.strings(jobs.get("rabbitmq-queues").path("params").path("family")))
                .contains("queue_coarse_metrics", "queue_consumer_count");

        JsonNode services = Repo.yaml("docker-compose.yml").path("services");
        for (String target : PrometheusConfig.targets(config)) {
            assertThat(services.has(target.split(":")[0])).as(target + " is a compose service").isTrue();
        }
    }

    @Test
    void grafanaKnowsTheScrapeInterval() {
        JsonNode datasource = Repo.yaml("grafana/provisioning/datasources/prometheus.yml").path("datasources").get(0);
        assertThat(datasource.path("jsonData").path("timeInterval").asText())
                .isEqualTo(config.path("global").path("scrape_interval").asText());
    }

    private static void assertJob(JsonNode job, String metricsPath, String target) {
        assertThat(job.path("metrics_path").asText("/metrics")).as(job.path("job_name").asText()).isEqualTo(metricsPath);
        assertThat(ComposeFileTest.strings(job.path("static_configs").get(0).path("targets"))).containsExactly(target);
    }
}
