package com.vivesphere.mq.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;

/**
 * No secret in the manifests: no Secret object is rendered, secret-looking settings come from Secrets, and each
 * Secret key referenced is in secrets.example.yaml (which no kustomization includes) or one CloudNativePG
 * generates. The NetworkPolicies: only the workers reach the broker's AMQP port and the database; the monitoring
 * namespace reaches the metrics and health ports.
 */
class KubernetesSecretsAndNetworkTest {

    private static final String EXAMPLE = KubernetesOverlays.DIRECTORY + "/secrets.example.yaml";
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(pass|secret|token|credential|api_?key).*");
    /** Secrets an operator writes: CloudNativePG's credentials of the database's owner. */
    private static final Map<String, Set<String>> GENERATED = Map.of("vivesphere-postgres-app", Set.of("username", "password"));
    private static final String MONITORING = "monitoring";

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void rendersNoSecretAndTakesSecretSettingsFromSecrets(String overlay) {
        assertThat(KubernetesOverlays.ofKind(overlay, "Secret")).isEmpty();
        for (String app : Repo.APP_MODULES) {
            JsonNode container = KubernetesOverlays.container(KubernetesOverlays.deployment(overlay, app));
            for (JsonNode variable : container.path("env")) {
                String name = variable.path("name").asText();
                // where secret files are mounted is no secret: an absolute path
                boolean path = (name.endsWith("_FILE") || name.endsWith("_DIR")) && variable.path("value").asText().startsWith("/");
                if (SECRET_NAME.matcher(name).matches() && !path || name.endsWith("_USERNAME")) {
                    assertThat(variable.has("value")).as(app + " " + name + " is a Secret reference, not a value").isFalse();
                    assertThat(variable.path("valueFrom").has("secretKeyRef")).as(app + " " + name).isTrue();
                }
            }
        }
        for (String app : Repo.APP_MODULES) {
            JsonNode deployment = KubernetesOverlays.deployment(overlay, app);
            for (String variable : List.of("RABBITMQ_PASSWORD", "QUARKUS_DATASOURCE_PASSWORD")) {
                assertThat(WorkerManifests.secretSource(deployment, variable)).as(app + " " + variable + " from a Secret").isNotEqualTo("none");
            }
        }
        String rendered = KubernetesOverlays.objects(overlay).toString();
        assertThat(rendered).doesNotContain("change-me").doesNotContainIgnoringCase("\"password\":\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void everySecretReferencedIsInTheExampleOrGeneratedByAnOperator(String overlay) {
        Map<String, Set<String>> available = new HashMap<>(GENERATED);
        // the Secret of each cert-manager Certificate: the certificate, its key and the CA that signed it
        KubernetesOverlays.ofKind(overlay, "Certificate").forEach(certificate -> available.put(
                certificate.path("spec").path("secretName").asText(), Set.of("tls.crt", "tls.key", "ca.crt")));
        exampleSecrets().forEach(secret -> available.put(secret.path("metadata").path("name").asText(),
                new HashSet<>(ComposeFileTest.names(secret.path("stringData")))));
        List<String> references = new ArrayList<>();
        for (JsonNode object : KubernetesOverlays.objects(overlay)) {
            object.findParents("secretKeyRef").forEach(p -> references.add(p.path("secretKeyRef").path("name").asText()
                    + "/" + p.path("secretKeyRef").path("key").asText()));
            object.findValues("secretTargetRef").forEach(refs -> refs.forEach(r -> references.add(r.path("name").asText()
                    + "/" + r.path("key").asText())));
            object.findValues("importCredentialsSecret").forEach(r -> {
                references.add(r.path("name").asText() + "/username");
                references.add(r.path("name").asText() + "/password");
            });
            // a Secret volume names its Secret secretName, a projected volume's source name
            object.findValues("secret").forEach(volume -> volume.path("items").forEach(item ->
                    references.add(volume.path("secretName").asText(volume.path("name").asText()) + "/" + item.path("key").asText())));
            object.findValues("secretName").forEach(name -> references.add(name.asText() + "/"));
        }
        assertThat(references).isNotEmpty().allSatisfy(reference -> {
            String[] nameAndKey = reference.split("/", 2);
            assertThat(available).as(reference).containsKey(nameAndKey[0]);
            if (!nameAndKey[1].isEmpty()) {
                assertThat(available.get(nameAndKey[0])).as(reference).contains(nameAndKey[1]);
            }
        });
        // the bot credentials file the worker is pointed at is the key of the mounted Secret
        JsonNode bot = KubernetesOverlays.container(KubernetesOverlays.deployment(overlay, "bot-action-worker"));
        String file = WorkerManifests.literalEnvironment(bot).get("BOT_CREDENTIALS_FILE");
        String directory = file.substring(0, file.lastIndexOf('/'));
        assertThat(bot.path("volumeMounts").findValuesAsText("mountPath")).contains(directory);
        assertThat(available.get("vivesphere-bot-credentials")).contains(file.substring(file.lastIndexOf('/') + 1));
    }

    @Test
    void theExampleHoldsPlaceholdersOnlyAndNoKustomizationIncludesIt() throws IOException {
        for (JsonNode secret : exampleSecrets()) {
            for (Map.Entry<String, JsonNode> e : secret.path("stringData").properties()) {
                if (e.getKey().endsWith(".json")) {
                    // a credentials file: every value of every entry a placeholder, but the date it expires
                    for (JsonNode entry : Repo.JSON.readTree(e.getValue().asText())) {
                        for (Map.Entry<String, JsonNode> field : entry.properties()) {
                            if (!field.getKey().equals("expiresAt")) {
                                assertThat(field.getValue().asText()).as(e.getKey() + " " + field.getKey()).isEqualTo("change-me");
                            }
                        }
                    }
                } else if (SECRET_NAME.matcher(e.getKey()).matches()) {
                    assertThat(e.getValue().asText()).as(e.getKey()).isEqualTo("change-me");
                }
            }
        }
        try (Stream<Path> files = Files.walk(Repo.path(KubernetesOverlays.DIRECTORY))) {
            for (Path kustomization : files.filter(f -> f.getFileName().toString().equals("kustomization.yaml")).toList()) {
                // its fields, not its comments (which may point at the example)
                assertThat(Repo.YAML.readTree(kustomization.toFile()).toString()).as(kustomization.toString())
                        .doesNotContain("secrets.example");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void onlyTheWorkersReachTheBrokersAmqpPortAndTheDatabase(String overlay) {
        assertOnlyWorkersCarry(overlay, "vivesphere.com/broker-client");
        assertOnlyWorkersCarry(overlay, "vivesphere.com/database-client");

        // the TLS listeners where the broker has no other (KubernetesTlsTest)
        boolean tls = KubernetesOverlays.tls(overlay);
        JsonNode broker = policy(overlay, "vivesphere-rabbitmq");
        assertThat(sourcesOf(broker, tls ? 5671 : 5672)).containsExactly("pods vivesphere.com/broker-client=true",
                "pods app.kubernetes.io/name=vivesphere-rabbitmq");
        assertThat(sourcesOf(broker, tls ? 15671 : 15672)).containsExactlyInAnyOrder("namespace rabbitmq-system", "namespace keda",
                "pods app.kubernetes.io/name=vivesphere-rabbitmq");
        assertThat(sourcesOf(broker, tls ? 15691 : 15692)).contains("namespace " + MONITORING);
        JsonNode database = policy(overlay, "vivesphere-postgres");
        assertThat(sourcesOf(database, 5432)).containsExactlyInAnyOrder("pods vivesphere.com/database-client=true",
                "pods cnpg.io/cluster=vivesphere-postgres", "namespace cnpg-system");
        assertThat(sourcesOf(database, 9187)).containsExactly("namespace " + MONITORING);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void theMonitoringNamespaceReachesTheWorkersMetricsAndHealth(String overlay) {
        JsonNode workers = policy(overlay, "workers-http");
        assertThat(workers.path("spec").path("podSelector").path("matchExpressions").get(0).path("values"))
                .extracting(JsonNode::asText).containsExactlyInAnyOrderElementsOf(Repo.APP_MODULES);
        assertThat(sourcesOf(workers, KubernetesOverlays.httpPortName(overlay))).contains("namespace " + MONITORING);
    }

    /** The label that a NetworkPolicy admits is on the worker pods only. */
    private static void assertOnlyWorkersCarry(String overlay, String label) {
        List<String> carriers = new ArrayList<>();
        for (JsonNode object : KubernetesOverlays.objects(overlay)) {
            JsonNode labels = object.path("spec").path("template").path("metadata").path("labels");
            if (labels.path(label).asText().equals("true")) {
                carriers.add(object.path("metadata").path("name").asText());
            }
        }
        assertThat(carriers).as("pods labelled " + label).containsExactlyInAnyOrderElementsOf(Repo.APP_MODULES);
    }

    private static JsonNode policy(String overlay, String name) {
        JsonNode policy = KubernetesOverlays.one(overlay, "NetworkPolicy", name);
        assertThat(ComposeFileTest.strings(policy.path("spec").path("policyTypes"))).contains("Ingress");
        return policy;
    }

    /** Who an ingress rule lets reach a port: "pods k=v" or "namespace n"; a rule without ports covers every port. */
    private static List<String> sourcesOf(JsonNode policy, Object port) {
        List<String> sources = new ArrayList<>();
        for (JsonNode rule : policy.path("spec").path("ingress")) {
            boolean covers = rule.path("ports").isEmpty()
                    || rule.path("ports").findValuesAsText("port").contains(String.valueOf(port));
            if (!covers) {
                continue;
            }
            assertThat(rule.has("from")).as(policy.path("metadata").path("name").asText() + ": a rule open to everyone").isTrue();
            for (JsonNode from : rule.path("from")) {
                if (from.has("namespaceSelector")) {
                    sources.add("namespace " + from.path("namespaceSelector").path("matchLabels").path("kubernetes.io/metadata.name").asText());
                } else {
                    JsonNode labels = from.path("podSelector").path("matchLabels");
                    sources.add(labels.isEmpty() ? "pods of the namespace"
                            : "pods " + labels.properties().stream().map(e -> e.getKey() + "=" + e.getValue().asText())
                                    .reduce((a, b) -> a + "," + b).orElse(""));
                }
            }
        }
        return sources;
    }

    /** The Secrets of secrets.example.yaml. */
    static List<JsonNode> exampleSecrets() {
        try (MappingIterator<JsonNode> documents = Repo.YAML.readerFor(JsonNode.class).readValues(Repo.path(EXAMPLE).toFile())) {
            List<JsonNode> secrets = documents.readAll();
            assertThat(secrets).allSatisfy(s -> assertThat(s.path("kind").asText()).isEqualTo("Secret"));
            return secrets;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
