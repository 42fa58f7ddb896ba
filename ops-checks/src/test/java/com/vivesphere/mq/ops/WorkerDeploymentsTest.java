package com.vivesphere.mq.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.vivesphere.mq.testing.ConfigurationReference;
import com.vivesphere.mq.testing.ProductionJvm;

/**
 * The worker Deployments of both overlays, against what the code and the image say: the image and its user,
 * a locked-down container, the app's HTTP port, the health probes on the apps' paths, a grace period past the
 * graceful stop, memory that fits the heap the image's JVM picks, only settings the apps read, replicas spread
 * over nodes and zones, a PodDisruptionBudget, a Service and a ServiceMonitor. That the running apps answer on the
 * probe paths: {@link DashboardQueriesIT}.
 */
class WorkerDeploymentsTest {

    private static final JsonNode COMPOSE = Repo.yaml("docker-compose.yml").path("services");

    static Stream<Arguments> overlaysAndApps() {
        return KubernetesOverlays.OVERLAYS.stream().flatMap(o -> Repo.APP_MODULES.stream().map(app -> Arguments.of(o, app)));
    }

    @ParameterizedTest
    @MethodSource("overlaysAndApps")
    void runsTheComposeImageAsItsNonRootUserInALockedDownContainer(String overlay, String app) {
        JsonNode deployment = KubernetesOverlays.deployment(overlay, app);
        JsonNode pod = deployment.path("spec").path("template").path("spec");
        JsonNode container = KubernetesOverlays.container(deployment);

        assertThat(container.path("image").asText()).isEqualTo(COMPOSE.path(app).path("image").asText());
        assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).as("service-account token").isFalse();
        assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.path("securityContext").path("runAsUser").asLong()).isEqualTo(WorkerManifests.imageUser());
        JsonNode security = container.path("securityContext");
        assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
        assertThat(security.path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(ComposeFileTest.strings(security.path("capabilities").path("drop"))).containsExactly("ALL");
        assertThat(security.has("privileged") && security.path("privileged").asBoolean()).isFalse();

        // the JVM writes to /tmp (perf data, Vert.x's cache): a volume of its own on the read-only root
        String tmpVolume = mountAt(container, "/tmp");
        assertThat(volume(pod, tmpVolume).has("emptyDir")).as("/tmp is an emptyDir").isTrue();
    }

    @ParameterizedTest
    @MethodSource("overlaysAndApps")
    void servesHttpOnTheAppsPortAsTheDockerfileAndComposeDo(String overlay, String app) {
        int port = Integer.parseInt(new AppProperties(app, Map.of()).value("quarkus.http.port"));
        JsonNode container = KubernetesOverlays.container(KubernetesOverlays.deployment(overlay, app));

        String portName = KubernetesOverlays.httpPortName(overlay);
        assertThat(container.path("ports")).hasSize(1);
        assertThat(container.path("ports").get(0).path("containerPort").asInt()).isEqualTo(port);
        assertThat(container.path("ports").get(0).path("name").asText()).isEqualTo(portName);
        assertThat(Repo.read("src/main/docker/Dockerfile.jvm")).containsPattern("(?m)^EXPOSE .*\\b" + port + "\\b");
        assertThat(ComposeFileTest.strings(COMPOSE.path(app).path("ports"))).anyMatch(p -> p.endsWith(":" + port + ":" + port));

        JsonNode service = KubernetesOverlays.one(overlay, "Service", app);
        assertThat(service.path("spec").path("selector")).isEqualTo(selector(overlay, app));
        assertThat(service.path("spec").path("ports").get(0).path("port").asInt()).isEqualTo(port);
        assertThat(service.path("spec").path("ports").get(0).path("targetPort").asText()).isEqualTo(portName);

        // what Prometheus scrapes in compose (infrastructure/prometheus/prometheus.yml), which the dashboards read
        JsonNode monitor = KubernetesOverlays.one(overlay, "ServiceMonitor", app);
        assertThat(monitor.path("spec").path("selector").path("matchLabels").path(KubernetesOverlays.APP_NAME).asText())
                .isEqualTo(service.path("metadata").path("labels").path(KubernetesOverlays.APP_NAME).asText()).isEqualTo(app);
        assertThat(monitor.path("spec").path("endpoints").get(0).path("port").asText()).isEqualTo(portName);
        assertThat(monitor.path("spec").path("endpoints").get(0).path("path").asText()).isEqualTo(scrapePath(app));
    }

    @ParameterizedTest
    @MethodSource("overlaysAndApps")
    void probesTheStartedLiveAndReadyHealthChecks(String overlay, String app) {
        JsonNode container = KubernetesOverlays.container(KubernetesOverlays.deployment(overlay, app));
        Map<String, String> expected = Map.of("startupProbe", "/q/health/started", "livenessProbe", "/q/health/live",
                "readinessProbe", "/q/health/ready");
        expected.forEach((probe, path) -> {
            JsonNode get = container.path(probe).path("httpGet");
            assertThat(get.path("path").asText()).as(app + " " + probe).isEqualTo(path);
            assertThat(get.path("port").asText()).as(app + " " + probe + " port").isEqualTo(KubernetesOverlays.httpPortName(overlay));
            // where the app serves HTTPS only, a plain HTTP probe would never succeed
            assertThat(get.path("scheme").asText("HTTP")).as(app + " " + probe + " scheme")
                    .isEqualTo(KubernetesOverlays.tls(overlay) ? "HTTPS" : "HTTP");
        });
    }

    @ParameterizedTest
    @MethodSource("overlaysAndApps")
    void theGracePeriodOutlastsTheGracefulStopAndTheLongestXCall(String overlay, String app) {
        JsonNode deployment = KubernetesOverlays.deployment(overlay, app);
        AppProperties config = new AppProperties(app, WorkerManifests.literalEnvironment(KubernetesOverlays.container(deployment)));
        Duration stop = config.duration("vivesphere.rabbitmq.shutdown-timeout");
        // an X call under way when the stop begins may take its whole connect and read timeouts
        Duration longestXCall = app.equals("bot-action-worker")
                ? config.millis("quarkus.rest-client.x-api.connect-timeout").plus(config.millis("quarkus.rest-client.x-api.read-timeout"))
                : Duration.ZERO;
        Duration grace = Duration.ofSeconds(deployment.path("spec").path("template").path("spec").path("terminationGracePeriodSeconds")
                .asLong(30));

        assertThat(grace).as(app + ": grace period > graceful stop " + stop + " + longest X call " + longestXCall)
                .isGreaterThan(stop.plus(longestXCall));
    }

    @ParameterizedTest
    @MethodSource("overlaysAndApps")
    void memoryFitsTheHeapTheImagesJvmPicksAndTheRoomBesideIt(String overlay, String app) {
        JsonNode container = KubernetesOverlays.container(KubernetesOverlays.deployment(overlay, app));
        JsonNode resources = container.path("resources");
        long limit = WorkerManifests.bytes(resources.path("limits").path("memory").asText());
        // the JVM sizes its heap from the limit once and does not give it back: a lower request overcommits the node
        assertThat(WorkerManifests.bytes(resources.path("requests").path("memory").asText())).isEqualTo(limit);
        assertThat(resources.path("requests").path("cpu").isMissingNode()).as("a CPU request").isFalse();

        int ratio = Integer.parseInt(WorkerManifests.imageEnvironment("JAVA_MAX_MEM_RATIO"));
        long heap = limit * ratio / 100;
        // the heap and the room beside it (metaspace, threads, direct buffers) of the smaller compose limit: the JVM
        // the bench and the fault suite measured (ProductionJvm)
        long composeLimit = Repo.APP_MODULES.stream().mapToLong(m -> ComposeService.of(m).memoryLimitBytes()).min().orElseThrow();
        long measuredHeap = ProductionJvm.OPTIONS.stream().filter(o -> o.startsWith("-Xmx"))
                .mapToLong(o -> WorkerManifests.bytes(o.substring(4).replace("m", "Mi").replace("g", "Gi"))).findFirst().orElseThrow();
        assertThat(composeLimit * ratio / 100).as("ProductionJvm's heap is that of the smaller compose limit").isEqualTo(measuredHeap);
        assertThat(heap).as(app + " heap").isGreaterThanOrEqualTo(measuredHeap);
        assertThat(limit - heap).as(app + " room beside the heap").isGreaterThanOrEqualTo(composeLimit - measuredHeap);
        // the image's JVM settings stay the image's: nothing here overrides the heap
        assertThat(WorkerManifests.variableNames(container)).doesNotContain("JAVA_MAX_MEM_RATIO", "JAVA_OPTS",
                "JAVA_OPTS_APPEND", "JAVA_TOOL_OPTIONS");
    }

    @ParameterizedTest
    @MethodSource("overlaysAndApps")
    void setsOnlyVariablesTheAppReads(String overlay, String app) {
        JsonNode deployment = KubernetesOverlays.deployment(overlay, app);
        List<String> names = new java.util.ArrayList<>(WorkerManifests.variableNames(KubernetesOverlays.container(deployment)));
        // a file of the secrets directory sets the variable it is named after
        names.addAll(WorkerManifests.secretsDirectory(deployment).keySet());
        assertThat(names).as(app + " environment (docs/configuration.md, which ConfigurationReference holds to the code)")
                .isNotEmpty().allSatisfy(name -> assertThat(ConfigurationReference.documents(app, name)).as(name).isTrue());
    }

    /** log-consumer refuses to start with a query API that checks tokens and no key to check them (ApiAccessGuard). */
    @ParameterizedTest
    @ValueSource(strings = { "dev", "production" })
    void theQueryApiGetsTheKeyThatVerifiesItsTokens(String overlay) {
        JsonNode deployment = KubernetesOverlays.deployment(overlay, "log-consumer");
        assertThat(WorkerManifests.literalEnvironment(KubernetesOverlays.container(deployment)))
                .as("the query API left open").doesNotContainKey("LOG_CONSUMER_API_ACCESS");
        assertThat(WorkerManifests.secretSource(deployment, "MP_JWT_VERIFY_PUBLICKEY_LOCATION"))
                .isEqualTo("vivesphere-query-api/jwks-url");
    }

    @ParameterizedTest
    @MethodSource("overlaysAndApps")
    void spreadsOverNodesAndZonesAndADisruptionBudgetLeavesTheRestRunning(String overlay, String app) {
        JsonNode deployment = KubernetesOverlays.deployment(overlay, app);
        JsonNode selector = selector(overlay, app);
        JsonNode spread = deployment.path("spec").path("template").path("spec").path("topologySpreadConstraints");
        assertThat(spread.findValuesAsText("topologyKey")).containsExactlyInAnyOrder("kubernetes.io/hostname",
                "topology.kubernetes.io/zone");
        spread.forEach(constraint -> assertThat(constraint.path("labelSelector").path("matchLabels")).isEqualTo(selector));

        JsonNode budget = KubernetesOverlays.one(overlay, "PodDisruptionBudget", app).path("spec");
        assertThat(budget.path("selector").path("matchLabels")).isEqualTo(selector);
        assertThat(budget.path("maxUnavailable").asInt()).isEqualTo(1);
        JsonNode strategy = deployment.path("spec").path("strategy").path("rollingUpdate");
        assertThat(strategy.path("maxUnavailable").asInt(-1)).as("rolling update keeps every replica until its successor is ready").isZero();
    }

    @ParameterizedTest
    @MethodSource("overlaysAndApps")
    void replicasStartAtTheAutoscalersMinimum(String overlay, String app) {
        JsonNode scaled = KubernetesOverlays.one(overlay, "ScaledObject", app).path("spec");
        assertThat(scaled.path("scaleTargetRef").path("name").asText()).isEqualTo(app);
        int min = scaled.path("minReplicaCount").asInt();
        assertThat(KubernetesOverlays.deployment(overlay, app).path("spec").path("replicas").asInt()).isEqualTo(min);
        assertThat(scaled.path("maxReplicaCount").asInt()).isGreaterThanOrEqualTo(min);
    }

    @ParameterizedTest
    @ValueSource(strings = {"log-consumer", "bot-action-worker"})
    void productionRunsAtLeastTwoReplicasAndDevOne(String app) {
        assertThat(KubernetesOverlays.one("production", "ScaledObject", app).path("spec").path("minReplicaCount").asInt())
                .isGreaterThanOrEqualTo(2);
        assertThat(KubernetesOverlays.deployment("dev", app).path("spec").path("replicas").asInt()).isEqualTo(1);
    }

    private static JsonNode selector(String overlay, String app) {
        return KubernetesOverlays.deployment(overlay, app).path("spec").path("selector").path("matchLabels");
    }

    private static String scrapePath(String app) {
        for (JsonNode job : Repo.yaml(PrometheusConfig.FILE).path("scrape_configs")) {
            if (job.path("job_name").asText().equals(app)) {
                return job.path("metrics_path").asText();
            }
        }
        throw new AssertionError("prometheus.yml has no job " + app);
    }

    private static String mountAt(JsonNode container, String path) {
        for (JsonNode mount : container.path("volumeMounts")) {
            if (mount.path("mountPath").asText().equals(path)) {
                return mount.path("name").asText();
            }
        }
        throw new AssertionError(container.path("name").asText() + " mounts nothing at " + path);
    }

    private static JsonNode volume(JsonNode pod, String name) {
        for (JsonNode volume : pod.path("volumes")) {
            if (volume.path("name").asText().equals(name)) {
                return volume;
            }
        }
        throw new AssertionError("no volume " + name);
    }
}
