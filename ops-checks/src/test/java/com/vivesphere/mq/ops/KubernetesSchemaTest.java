package com.vivesphere.mq.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Each overlay of deploy/kubernetes renders, and every object it renders is valid, offline: Kubernetes' own and
 * the Prometheus Operator's objects against fabric8's models read strictly ({@link StrictModels}), KEDA's and
 * cert-manager's against the schemas of their CRDs ({@link CrdSchemas}). The RabbitMQ operators' and CloudNativePG's resources have no
 * schema package on the registries reached here: {@link BrokerManifestsTest} and {@link DatabaseManifestsTest}
 * check their invariants.
 */
class KubernetesSchemaTest {

    /** Validated against their CRDs' schemas ({@link CrdSchemas}). */
    private static final Set<String> CRD_SCHEMAS = Set.of("keda.sh/v1alpha1/ScaledObject", "keda.sh/v1alpha1/TriggerAuthentication",
            "cert-manager.io/v1/Certificate", "cert-manager.io/v1/Issuer");
    /** Checked by invariants only (BrokerManifestsTest, DatabaseManifestsTest, TopologyManifestsTest). */
    private static final Set<String> OPERATOR_RESOURCES = Set.of("rabbitmq.com/v1beta1/RabbitmqCluster",
            "rabbitmq.com/v1beta1/Exchange", "rabbitmq.com/v1beta1/Queue", "rabbitmq.com/v1beta1/Binding",
            "rabbitmq.com/v1beta1/User", "rabbitmq.com/v1beta1/Permission", "postgresql.cnpg.io/v1/Cluster");

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void rendersOnlyKindsThatAreValidatedOrChecked(String overlay) {
        assertThat(KubernetesOverlays.objects(overlay)).extracting(StrictModels::typeOf)
                .allSatisfy(type -> assertThat(StrictModels.MODELS.containsKey(type) || CRD_SCHEMAS.contains(type)
                        || OPERATOR_RESOURCES.contains(type)).as(type).isTrue())
                .contains("apps/v1/Deployment", "keda.sh/v1alpha1/ScaledObject", "monitoring.coreos.com/v1/ServiceMonitor",
                        "rabbitmq.com/v1beta1/RabbitmqCluster", "postgresql.cnpg.io/v1/Cluster");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void kubernetesAndPrometheusOperatorObjectsMatchTheirSchemas(String overlay) {
        Map<String, List<String>> problems = new LinkedHashMap<>();
        for (JsonNode object : KubernetesOverlays.objects(overlay)) {
            if (StrictModels.MODELS.containsKey(StrictModels.typeOf(object))) {
                List<String> found = StrictModels.problems(object);
                if (!found.isEmpty()) {
                    problems.put(StrictModels.typeOf(object) + " " + object.path("metadata").path("name").asText(), found);
                }
            }
        }
        assertThat(problems).as("objects of overlay " + overlay + " that do not match their schema").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void kedaAndCertManagerObjectsMatchTheSchemasOfTheirCrds(String overlay) {
        List<JsonNode> validated = KubernetesOverlays.objects(overlay).stream().filter(o -> CRD_SCHEMAS.contains(StrictModels.typeOf(o))).toList();
        assertThat(validated).extracting(o -> o.path("kind").asText()).contains("ScaledObject", "TriggerAuthentication");
        if (KubernetesOverlays.tls(overlay)) {
            assertThat(validated).extracting(o -> o.path("kind").asText()).contains("Certificate", "Issuer");
        }
        assertThat(CrdSchemas.problems(validated)).as("KEDA and cert-manager objects of overlay " + overlay).isEmpty();
    }
}
