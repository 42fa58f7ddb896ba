package com.vivesphere.mq.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The CloudNativePG Cluster (no schema package on the registries reached here, so its invariants): compose's
 * PostgreSQL major version, the database the apps' URL names, owned by the user whose generated Secret the apps
 * read, their URL on the cluster's read-write Service; three instances on three nodes in production, one in dev.
 */
class DatabaseManifestsTest {

    private static final String CLUSTER = "vivesphere-postgres";

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void theAppsUseTheDatabaseAndTheGeneratedSecretOfTheCluster(String overlay) {
        JsonNode spec = KubernetesOverlays.one(overlay, "Cluster", CLUSTER).path("spec");
        JsonNode initdb = spec.path("bootstrap").path("initdb");
        for (String app : Repo.APP_MODULES) {
            JsonNode container = KubernetesOverlays.container(KubernetesOverlays.deployment(overlay, app));
            URI url = URI.create(WorkerManifests.literalEnvironment(container).get("QUARKUS_DATASOURCE_REACTIVE_URL"));
            assertThat(url.getScheme()).isEqualTo("postgresql");
            assertThat(url.getHost()).as(app + ": the primary's Service").isEqualTo(CLUSTER + "-rw");
            assertThat(url.getPort()).isEqualTo(5432);
            assertThat(url.getPath()).isEqualTo("/" + initdb.path("database").asText());
            JsonNode deployment = KubernetesOverlays.deployment(overlay, app);
            // CloudNativePG writes the owner's credentials to <cluster>-app
            assertThat(WorkerManifests.secretSource(deployment, "QUARKUS_DATASOURCE_USERNAME")).isEqualTo(CLUSTER + "-app/username");
            assertThat(WorkerManifests.secretSource(deployment, "QUARKUS_DATASOURCE_PASSWORD")).isEqualTo(CLUSTER + "-app/password");
        }
        assertThat(initdb.path("owner").asText()).isNotBlank();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void runsComposesPostgresMajorVersionWithItsInstancesOnSeparateNodes(String overlay) {
        JsonNode spec = KubernetesOverlays.one(overlay, "Cluster", CLUSTER).path("spec");
        String compose = Repo.yaml("docker-compose.yml").path("services").path("postgres").path("image").asText();
        assertThat(major(spec.path("imageName").asText())).isEqualTo(major(compose));
        assertThat(spec.path("affinity").path("enablePodAntiAffinity").asBoolean()).isTrue();
        assertThat(spec.path("affinity").path("podAntiAffinityType").asText()).isEqualTo("required");
        assertThat(spec.path("storage").path("size").asText()).isNotBlank();
        assertThat(spec.path("monitoring").path("enablePodMonitor").asBoolean()).isTrue();
    }

    @Test
    void productionRunsThreeInstancesAndDevOne() {
        assertThat(KubernetesOverlays.one("production", "Cluster", CLUSTER).path("spec").path("instances").asInt()).isEqualTo(3);
        assertThat(KubernetesOverlays.one("dev", "Cluster", CLUSTER).path("spec").path("instances").asInt()).isEqualTo(1);
    }

    private static String major(String image) {
        return image.substring(image.lastIndexOf(':') + 1).split("\\.")[0];
    }
}
