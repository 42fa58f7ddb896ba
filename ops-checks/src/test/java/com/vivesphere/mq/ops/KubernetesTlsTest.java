package com.vivesphere.mq.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.vivesphere.mq.common.topology.TopologyResources;

/**
 * TLS on every connection of the overlays that include components/tls ({@link KubernetesOverlays#TLS_OVERLAYS}):
 * the broker and the database take TLS connections only; every connection of a worker is TLS, verifies the
 * server's host name and trusts a CA from a file mounted read-only from the server's Secret; the workers serve HTTPS
 * only; each cert-manager Certificate names what its clients connect to and is signed by the namespace's CA. The
 * settings are the ones the apps read (docs/configuration.md, TLS sections); that they work: DatabaseTlsIT,
 * HttpTlsIT and the fault suite's TLS scenarios. The dev overlay stays plain.
 */
class KubernetesTlsTest {

    private static final String DATABASE = "vivesphere-postgres";
    /** The plain listeners of the broker (AMQP, management, Prometheus), closed where TLS is on. */
    private static final List<Integer> PLAIN_BROKER_PORTS = List.of(5672, 15672, 15692);

    static Stream<String> tlsOverlays() {
        return KubernetesOverlays.TLS_OVERLAYS.stream();
    }

    static Stream<Arguments> tlsOverlaysAndApps() {
        return tlsOverlays().flatMap(o -> Repo.APP_MODULES.stream().map(app -> Arguments.of(o, app)));
    }

    @ParameterizedTest
    @MethodSource("tlsOverlays")
    void theBrokerAndTheDatabaseTakeTlsConnectionsOnly(String overlay) {
        JsonNode tls = broker(overlay).path("tls");
        assertThat(tls.path("secretName").asText()).isNotBlank();
        assertThat(tls.path("disableNonTLSListeners").asBoolean()).as("the broker's plain listeners closed").isTrue();
        JsonNode policy = KubernetesOverlays.one(overlay, "NetworkPolicy", TopologyResources.CLUSTER);
        assertThat(policy.path("spec").path("ingress").findValuesAsText("port")).as("ports the broker's NetworkPolicy admits")
                .contains("5671", "15671", "15691").doesNotContainAnyElementsOf(PLAIN_BROKER_PORTS.stream().map(String::valueOf).toList());
        for (JsonNode endpoint : KubernetesOverlays.one(overlay, "ServiceMonitor", TopologyResources.CLUSTER).path("spec").path("endpoints")) {
            assertThat(endpoint.path("port").asText()).isEqualTo("prometheus-tls");
            assertVerifiedHttps(endpoint, broker(overlay).path("tls").path("secretName").asText());
        }

        JsonNode database = KubernetesOverlays.one(overlay, "Cluster", DATABASE).path("spec");
        assertThat(database.path("certificates").path("serverTLSSecret").asText()).isNotBlank();
        // CloudNativePG puts its own rules before its closing "host all all all": a TCP connection without TLS is refused
        assertThat(ComposeFileTest.strings(database.path("postgresql").path("pg_hba"))).containsExactly("hostnossl all all all reject");
    }

    @ParameterizedTest
    @MethodSource("tlsOverlaysAndApps")
    void everyConnectionOfAWorkerIsTlsVerifyingTheServerWithACaFromAMountedFile(String overlay, String app) {
        JsonNode deployment = KubernetesOverlays.deployment(overlay, app);
        Map<String, String> env = WorkerManifests.literalEnvironment(KubernetesOverlays.container(deployment));

        assertThat(env).containsEntry("RABBITMQ_PORT", "5671").doesNotContainKeys("RABBITMQ_SSL", "RABBITMQ_ADDRESSES");
        String broker = registry(env, env.get("VIVESPHERE_RABBITMQ_TLS_CONFIGURATION_NAME"));
        assertThat(WorkerManifests.mountedSecretFile(deployment, env.get(broker + "TRUST_STORE_PEM_CERTS")))
                .as(app + ": the broker's CA").isEqualTo(broker(overlay).path("tls").path("secretName").asText() + "/ca.crt");
        assertThat(env).as("renewed certificates re-read").containsKey(broker + "RELOAD_PERIOD");

        String database = registry(env, env.get("VIVESPHERE_DATABASE_TLS_CONFIGURATION_NAME"));
        assertThat(WorkerManifests.mountedSecretFile(deployment, env.get(database + "TRUST_STORE_PEM_CERTS")))
                .as(app + ": the database server's CA").isEqualTo(serverSecret(overlay) + "/ca.crt");

        // verification left on: no registry configuration trusts every certificate or skips the host name
        env.forEach((name, value) -> {
            assertThat(name.endsWith("_HOSTNAME_VERIFICATION_ALGORITHM") && value.equalsIgnoreCase("NONE")).as(name).isFalse();
            assertThat(name.endsWith("_TRUST_ALL") && value.equalsIgnoreCase("true")).as(name).isFalse();
            assertThat(value).as(name + ": a certificate is a file, not a value").doesNotContain("-----BEGIN");
        });
    }

    @ParameterizedTest
    @MethodSource("tlsOverlaysAndApps")
    void theHttpSideIsHttpsOnlyOnTheAppsPortWithACertificateForItsService(String overlay, String app) {
        JsonNode deployment = KubernetesOverlays.deployment(overlay, app);
        JsonNode container = KubernetesOverlays.container(deployment);
        Map<String, String> env = WorkerManifests.literalEnvironment(container);
        int port = container.path("ports").get(0).path("containerPort").asInt();

        assertThat(env).as(app + ": no plain HTTP listener").containsEntry("QUARKUS_HTTP_INSECURE_REQUESTS", "disabled")
                .containsEntry("QUARKUS_HTTP_SSL_PORT", String.valueOf(port));
        String http = registry(env, env.get("QUARKUS_HTTP_TLS_CONFIGURATION_NAME"));
        List<String> certificates = env.keySet().stream().filter(n -> n.startsWith(http + "KEY_STORE_PEM_") && n.endsWith("_CERT")).toList();
        assertThat(certificates).as(app + ": one key pair").hasSize(1);
        String certificate = env.get(certificates.get(0));
        String key = env.get(certificates.get(0).replaceAll("_CERT$", "_KEY"));
        String secret = WorkerManifests.mountedSecretFile(deployment, certificate).split("/")[0];
        assertThat(WorkerManifests.mountedSecretFile(deployment, certificate)).isEqualTo(secret + "/tls.crt");
        assertThat(WorkerManifests.mountedSecretFile(deployment, key)).isEqualTo(secret + "/tls.key");
        assertThat(env).containsKey(http + "RELOAD_PERIOD");

        List<String> names = dnsNames(overlay, secret);
        assertThat(covers(names, app)).as(app + "'s certificate names its Service").isTrue();
        JsonNode endpoint = KubernetesOverlays.one(overlay, "ServiceMonitor", app).path("spec").path("endpoints").get(0);
        assertVerifiedHttps(endpoint, secret);
        assertThat(covers(names, endpoint.path("tlsConfig").path("serverName").asText())).as("the name Prometheus verifies").isTrue();
    }

    @ParameterizedTest
    @MethodSource("tlsOverlays")
    void theBrokersAndTheDatabasesCertificatesNameWhatTheirClientsConnectTo(String overlay) {
        List<String> broker = dnsNames(overlay, broker(overlay).path("tls").path("secretName").asText());
        List<String> database = dnsNames(overlay, serverSecret(overlay));
        // CloudNativePG verifies the server with serverCASecret's ca.crt: the CA of the same Certificate
        assertThat(KubernetesOverlays.one(overlay, "Cluster", DATABASE).path("spec").path("certificates").path("serverCASecret").asText())
                .isEqualTo(serverSecret(overlay));
        for (String app : Repo.APP_MODULES) {
            Map<String, String> env = WorkerManifests.literalEnvironment(KubernetesOverlays.container(KubernetesOverlays.deployment(overlay, app)));
            assertThat(covers(broker, env.get("RABBITMQ_HOST"))).as(app + " RABBITMQ_HOST " + env.get("RABBITMQ_HOST")).isTrue();
            String host = URI.create(env.get("QUARKUS_DATASOURCE_REACTIVE_URL")).getHost();
            // verify-full: the URL's host must be a name of the server's certificate
            assertThat(covers(database, host)).as(app + " database host " + host).isTrue();
        }
        assertThat(covers(broker, "vivesphere-rabbitmq-server-0.vivesphere-rabbitmq-nodes.vivesphere.svc")).as("each node").isTrue();

        // KEDA: the management API over HTTPS for a name of the certificate, verified with the CA of its Secret
        String authenticationName = KubernetesOverlays.ofKind(overlay, "ScaledObject").get(0).path("spec").path("triggers").get(0)
                .path("authenticationRef").path("name").asText();
        JsonNode authentication = KubernetesOverlays.one(overlay, "TriggerAuthentication", authenticationName).path("spec");
        Map<String, String> parameters = new java.util.HashMap<>();
        authentication.path("secretTargetRef").forEach(r -> parameters.put(r.path("parameter").asText(),
                r.path("name").asText() + "/" + r.path("key").asText()));
        assertThat(parameters).containsEntry("ca", broker(overlay).path("tls").path("secretName").asText() + "/ca.crt")
                .doesNotContainKey("unsafeSsl");
        JsonNode example = KubernetesSecretsAndNetworkTest.exampleSecrets().stream()
                .filter(s -> s.path("metadata").path("name").asText().equals(TopologyResources.USER_SECRET)).findFirst().orElseThrow();
        assertThat(parameters.get("tls")).isEqualTo(TopologyResources.USER_SECRET + "/management-tls");
        assertThat(example.path("stringData").path("management-tls").asText()).isEqualTo("enable");
        URI management = URI.create(example.path("stringData").path(parameters.get("host").split("/")[1]).asText());
        assertThat(management.getScheme()).isEqualTo("https");
        assertThat(management.getPort()).isEqualTo(15671);
        assertThat(covers(broker, management.getHost())).as("KEDA's management URL " + management).isTrue();
        KubernetesOverlays.ofKind(overlay, "ScaledObject").forEach(scaled -> scaled.path("spec").path("triggers").forEach(trigger ->
                assertThat(trigger.path("metadata").path("unsafeSsl").asText("false")).isEqualTo("false")));
    }

    @ParameterizedTest
    @MethodSource("tlsOverlays")
    void everyCertificateIsSignedByTheNamespacesCaAndRenewedBeforeItExpires(String overlay) {
        List<JsonNode> certificates = KubernetesOverlays.ofKind(overlay, "Certificate");
        List<JsonNode> authorities = certificates.stream().filter(c -> c.path("spec").path("isCA").asBoolean()).toList();
        assertThat(authorities).hasSize(1);
        String caSecret = authorities.get(0).path("spec").path("secretName").asText();
        List<String> caIssuers = KubernetesOverlays.ofKind(overlay, "Issuer").stream()
                .filter(i -> i.path("spec").path("ca").path("secretName").asText().equals(caSecret))
                .map(i -> i.path("metadata").path("name").asText()).toList();
        assertThat(caIssuers).hasSize(1);
        for (JsonNode certificate : certificates) {
            JsonNode spec = certificate.path("spec");
            String name = certificate.path("metadata").path("name").asText();
            assertThat(hours(spec.path("renewBefore").asText())).as(name + " renewed before it expires")
                    .isPositive().isLessThan(hours(spec.path("duration").asText()));
            if (!spec.path("isCA").asBoolean()) {
                assertThat(spec.path("issuerRef").path("kind").asText()).as(name).isEqualTo("Issuer");
                assertThat(spec.path("issuerRef").path("name").asText()).as(name + " signed by the CA").isEqualTo(caIssuers.get(0));
                assertThat(spec.path("privateKey").path("rotationPolicy").asText()).as(name + ": a new key at each renewal").isEqualTo("Always");
                assertThat(ComposeFileTest.strings(spec.path("usages"))).as(name).containsExactly("server auth");
            }
        }
    }

    @Test
    void theDevOverlayStaysPlain() {
        assertThat(KubernetesOverlays.TLS_OVERLAYS).doesNotContain("dev");
        assertThat(KubernetesOverlays.ofKind("dev", "Certificate")).isEmpty();
        assertThat(broker("dev").has("tls")).isFalse();
        for (String app : Repo.APP_MODULES) {
            assertThat(WorkerManifests.literalEnvironment(KubernetesOverlays.container(KubernetesOverlays.deployment("dev", app))))
                    .doesNotContainKeys("VIVESPHERE_RABBITMQ_TLS_CONFIGURATION_NAME", "VIVESPHERE_DATABASE_TLS_CONFIGURATION_NAME",
                            "QUARKUS_HTTP_TLS_CONFIGURATION_NAME");
        }
    }

    /** The prefix of a TLS registry configuration's variables ({@code QUARKUS_TLS_RABBITMQ_}), which must be named. */
    private static String registry(Map<String, String> env, String configuration) {
        assertThat(configuration).as("a TLS configuration name").isNotBlank();
        String prefix = "QUARKUS_TLS_" + configuration.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_";
        assertThat(env.keySet()).as("settings of TLS configuration " + configuration).anyMatch(n -> n.startsWith(prefix));
        return prefix;
    }

    /** A ServiceMonitor endpoint scrapes over HTTPS and verifies the server with the CA of {@code secret}. */
    private static void assertVerifiedHttps(JsonNode endpoint, String secret) {
        assertThat(endpoint.path("scheme").asText()).isEqualTo("https");
        JsonNode tls = endpoint.path("tlsConfig");
        assertThat(tls.path("insecureSkipVerify").asBoolean(false)).isFalse();
        assertThat(tls.path("ca").path("secret").path("name").asText() + "/" + tls.path("ca").path("secret").path("key").asText())
                .isEqualTo(secret + "/ca.crt");
        assertThat(tls.path("serverName").asText()).isNotBlank();
    }

    private static JsonNode broker(String overlay) {
        return KubernetesOverlays.one(overlay, "RabbitmqCluster", TopologyResources.CLUSTER).path("spec");
    }

    private static String serverSecret(String overlay) {
        return KubernetesOverlays.one(overlay, "Cluster", DATABASE).path("spec").path("certificates").path("serverTLSSecret").asText();
    }

    /** The DNS names of the Certificate that writes {@code secret}. */
    private static List<String> dnsNames(String overlay, String secret) {
        return KubernetesOverlays.ofKind(overlay, "Certificate").stream()
                .filter(c -> c.path("spec").path("secretName").asText().equals(secret)).findFirst()
                .map(c -> ComposeFileTest.strings(c.path("spec").path("dnsNames")))
                .orElseThrow(() -> new AssertionError("no Certificate writes Secret " + secret));
    }

    /** Whether a certificate with these DNS names is valid for {@code host} (a wildcard stands for one label). */
    private static boolean covers(List<String> dnsNames, String host) {
        return dnsNames.stream().anyMatch(name -> name.equals(host)
                || name.startsWith("*.") && host.indexOf('.') > 0 && host.substring(host.indexOf('.')).equals(name.substring(1)));
    }

    /** A cert-manager duration of whole hours ({@code 2160h}). */
    private static long hours(String duration) {
        assertThat(duration).matches("\\d+h");
        return Long.parseLong(duration.substring(0, duration.length() - 1));
    }
}
