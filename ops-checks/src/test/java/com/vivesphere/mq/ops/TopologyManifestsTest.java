package com.vivesphere.mq.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.vivesphere.mq.common.topology.Topology;
import com.vivesphere.mq.common.topology.TopologyResources;
import com.vivesphere.mq.common.topology.TopologySettings;

/**
 * The broker's topology as each overlay renders it, against the code's ({@link Topology#standard} with the apps'
 * default settings, which the apps declare at start): the same exchanges, the same queues with the same
 * arguments, the same bindings, no Policy; KEDA scales on queues of that topology, the ones each worker consumes.
 * That the committed file is what the code generates: DefinitionsExportTest in common-messages.
 */
class TopologyManifestsTest {

    private static final Topology CODE = Topology.standard(TopologySettings.DEFAULTS);
    /** The queues each worker consumes (its channels' queue.name in application.properties). */
    private static final Map<String, Set<String>> CONSUMED = Map.of(
            "log-consumer", Set.of(Topology.LOG_QUEUE, Topology.LOG_PRIORITY_QUEUE),
            "bot-action-worker", Set.of(Topology.BOT_ACTION_QUEUE));

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void everyQueueResourceHasTheCodesNameAndArguments(String overlay) {
        Map<String, Map<String, Object>> rendered = new TreeMap<>();
        for (JsonNode queue : KubernetesOverlays.ofKind(overlay, "Queue")) {
            JsonNode spec = queue.path("spec");
            assertThat(spec.path("durable").asBoolean()).isTrue();
            assertThat(spec.path("autoDelete").asBoolean(true)).isFalse();
            assertThat(spec.path("type").asText()).isEqualTo(spec.path("arguments").path(Topology.ARG_QUEUE_TYPE).asText());
            assertThat(spec.path("rabbitmqClusterReference").path("name").asText()).isEqualTo(TopologyResources.CLUSTER);
            rendered.put(spec.path("name").asText(), asJson(spec.path("arguments")));
        }
        Map<String, Map<String, Object>> code = new TreeMap<>();
        CODE.queues().forEach(q -> code.put(q.name(), asJson(q.arguments())));
        assertThat(rendered).isEqualTo(code);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void exchangesAndBindingsAreTheCodesAndThereIsNoPolicy(String overlay) {
        Map<String, String> exchanges = KubernetesOverlays.ofKind(overlay, "Exchange").stream().collect(Collectors.toMap(
                e -> e.path("spec").path("name").asText(), e -> e.path("spec").path("type").asText()));
        assertThat(exchanges).isEqualTo(CODE.exchanges().stream().collect(Collectors.toMap(Topology.Exchange::name, Topology.Exchange::type)));

        List<Topology.Binding> bindings = KubernetesOverlays.ofKind(overlay, "Binding").stream().map(b -> b.path("spec"))
                .map(s -> new Topology.Binding(s.path("source").asText(), s.path("destination").asText(), s.path("routingKey").asText(),
                        s.path("destinationType").asText().equals("exchange")))
                .toList();
        assertThat(bindings).containsExactlyInAnyOrderElementsOf(CODE.bindings());
        assertThat(KubernetesOverlays.ofKind(overlay, "Policy")).as("queue settings are arguments, owned by the code").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void kedaScalesEachWorkerOnTheQueuesItConsumes(String overlay) {
        Set<String> queues = CODE.queues().stream().map(Topology.Queue::name).collect(Collectors.toSet());
        Map<String, Set<String>> scaledOn = new HashMap<>();
        for (JsonNode scaled : KubernetesOverlays.ofKind(overlay, "ScaledObject")) {
            String target = scaled.path("spec").path("scaleTargetRef").path("name").asText();
            for (JsonNode trigger : scaled.path("spec").path("triggers")) {
                assertThat(trigger.path("type").asText()).isEqualTo("rabbitmq");
                JsonNode metadata = trigger.path("metadata");
                assertThat(metadata.path("mode").asText()).isEqualTo("QueueLength");
                // the management API: the broker's NetworkPolicy lets only the workers reach AMQP
                assertThat(metadata.path("protocol").asText()).isEqualTo("http");
                assertThat(metadata.path("excludeUnacknowledged").asText()).as("scales on waiting messages").isEqualTo("true");
                assertThat(Integer.parseInt(metadata.path("value").asText())).isPositive();
                assertThat(metadata.path("vhostName").asText()).isEqualTo("/");
                assertThat(metadata.path("host").isMissingNode()).as("the broker's address comes from the TriggerAuthentication").isTrue();
                assertThat(queues).contains(metadata.path("queueName").asText());
                KubernetesOverlays.one(overlay, "TriggerAuthentication", trigger.path("authenticationRef").path("name").asText());
                scaledOn.computeIfAbsent(target, t -> new java.util.TreeSet<>()).add(metadata.path("queueName").asText());
            }
        }
        assertThat(scaledOn).isEqualTo(CONSUMED);
        CONSUMED.forEach((app, consumed) -> {
            String properties = Repo.read(app + "/src/main/resources/application.properties");
            consumed.forEach(queue -> assertThat(properties).as(app + " consumes " + queue)
                    .containsPattern("(?m)^mp\\.messaging\\.incoming\\.[a-z-]+\\.queue\\.name=" + queue + "$"));
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void theWorkersUserComesFromTheSecretTheyConnectWith(String overlay) {
        JsonNode user = KubernetesOverlays.one(overlay, "User", TopologyResources.USER).path("spec");
        assertThat(user.path("importCredentialsSecret").path("name").asText()).isEqualTo(TopologyResources.USER_SECRET);
        JsonNode permission = KubernetesOverlays.ofKind(overlay, "Permission").get(0).path("spec");
        assertThat(permission.path("userReference").path("name").asText()).isEqualTo(TopologyResources.USER);
        for (String app : Repo.APP_MODULES) {
            JsonNode deployment = KubernetesOverlays.deployment(overlay, app);
            assertThat(WorkerManifests.secretSource(deployment, "RABBITMQ_USERNAME")).isEqualTo(TopologyResources.USER_SECRET + "/username");
            assertThat(WorkerManifests.secretSource(deployment, "RABBITMQ_PASSWORD")).isEqualTo(TopologyResources.USER_SECRET + "/password");
        }
    }

    /** Arguments as JSON reads them back (a number is an Integer where it fits, whatever type it was written from). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> asJson(Object arguments) {
        try {
            return Repo.JSON.readValue(Repo.JSON.writeValueAsString(arguments), Map.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
