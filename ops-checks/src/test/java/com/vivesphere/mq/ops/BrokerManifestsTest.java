package com.vivesphere.mq.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.vivesphere.mq.common.topology.TopologyResources;

/**
 * The RabbitmqCluster (no schema package for the Cluster Operator's resources on the registries reached here,
 * so its invariants): compose's broker image, the plugins of enabled_plugins and the settings of rabbitmq.conf,
 * persistence, one node per Kubernetes node; three nodes in production and one in dev; the workers connect to
 * its Service.
 */
class BrokerManifestsTest {

    private static final String CONF = "infrastructure/message_queue/rabbitmq.conf";
    /** In Kubernetes the topology comes from the Topology Operator and the apps, not from a definitions file. */
    private static final Set<String> COMPOSE_ONLY_SETTINGS = Set.of("load_definitions");

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void runsComposesBrokerWithItsPluginsAndSettings(String overlay) {
        JsonNode spec = broker(overlay);
        assertThat(spec.path("image").asText()).isEqualTo(Repo.yaml("docker-compose.yml").path("services").path("rabbitmq")
                .path("image").asText());
        assertThat(ComposeFileTest.strings(spec.path("rabbitmq").path("additionalPlugins")))
                .containsExactlyInAnyOrderElementsOf(enabledPlugins());
        assertThat(settings(spec.path("rabbitmq").path("additionalConfig").asText())).isEqualTo(composeSettings());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void keepsItsDataOnPersistentVolumesWithOneNodePerKubernetesNode(String overlay) {
        JsonNode spec = broker(overlay);
        long storage = WorkerManifests.bytes(spec.path("persistence").path("storage").asText());
        // disk_free_limit must be reachable before the volume is full, or publishers are never blocked
        String diskFree = composeSettings().get("disk_free_limit.absolute");
        assertThat(storage).isGreaterThan(WorkerManifests.bytes(diskFree.replace("GB", "G").replace("MB", "M")));
        JsonNode antiAffinity = spec.path("affinity").path("podAntiAffinity").path("requiredDuringSchedulingIgnoredDuringExecution");
        assertThat(antiAffinity.findValuesAsText("topologyKey")).containsExactly("kubernetes.io/hostname");
        assertThat(antiAffinity.get(0).path("labelSelector").path("matchLabels").path(KubernetesOverlays.APP_NAME).asText())
                .isEqualTo(TopologyResources.CLUSTER);
        assertThat(spec.path("override").path("statefulSet").findValuesAsText("topologyKey")).contains("topology.kubernetes.io/zone");
        assertThat(WorkerManifests.bytes(spec.path("resources").path("requests").path("memory").asText()))
                .isEqualTo(WorkerManifests.bytes(spec.path("resources").path("limits").path("memory").asText()));
    }

    @Test
    void productionRunsThreeNodesAndDevOne() {
        assertThat(broker("production").path("replicas").asInt()).isEqualTo(3);
        assertThat(broker("dev").path("replicas").asInt()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void theWorkersConnectToTheBrokersService(String overlay) {
        for (String app : Repo.APP_MODULES) {
            Map<String, String> env = WorkerManifests.literalEnvironment(KubernetesOverlays.container(KubernetesOverlays.deployment(overlay, app)));
            assertThat(env).as(app).containsEntry("RABBITMQ_HOST", TopologyResources.CLUSTER).doesNotContainKey("RABBITMQ_ADDRESSES");
        }
        JsonNode monitor = KubernetesOverlays.one(overlay, "ServiceMonitor", TopologyResources.CLUSTER).path("spec");
        assertThat(monitor.path("endpoints").findValuesAsText("path")).containsExactly("/metrics", "/metrics/detailed");
        // the per-queue families compose's Prometheus scrapes (which the dashboards read)
        JsonNode composeJob = Repo.yaml(PrometheusConfig.FILE).path("scrape_configs").findParents("job_name").stream()
                .filter(j -> j.path("metrics_path").asText().equals("/metrics/detailed")).findFirst().orElseThrow();
        assertThat(monitor.path("endpoints").get(1).path("params").path("family"))
                .isEqualTo(composeJob.path("params").path("family"));
    }

    private static JsonNode broker(String overlay) {
        return KubernetesOverlays.one(overlay, "RabbitmqCluster", TopologyResources.CLUSTER).path("spec");
    }

    private static Set<String> enabledPlugins() {
        String list = Repo.read("infrastructure/message_queue/enabled_plugins").strip();
        return List.of(list.substring(1, list.length() - 2).split(",")).stream().map(String::strip).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Map<String, String> composeSettings() {
        Map<String, String> settings = settings(Repo.read(CONF));
        settings.keySet().removeAll(COMPOSE_ONLY_SETTINGS);
        assertThat(settings).as(CONF).isNotEmpty();
        return settings;
    }

    /** key = value lines of a rabbitmq.conf (new-style, sysctl format), comments left out. */
    private static Map<String, String> settings(String conf) {
        return conf.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .map(l -> l.split("\\s*=\\s*", 2))
                .collect(Collectors.toMap(kv -> kv[0], kv -> kv[1], (a, b) -> b, java.util.TreeMap::new));
    }
}
