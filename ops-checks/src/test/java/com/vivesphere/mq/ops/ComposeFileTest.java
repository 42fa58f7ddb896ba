package com.vivesphere.mq.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * docker-compose.yml (and the development override) checked for what running them needs and what the issue asks:
 * the services, pinned images, health checks and healthy dependencies, restart policies, memory limits, named
 * volumes, only the intended ports published, no secret written into the file, every variable in .env.example,
 * and every file the services mount or build from present in the repository. No Docker engine is needed.
 */
class ComposeFileTest {

    private static final String COMPOSE = "docker-compose.yml";
    private static final String DEV_OVERRIDE = "docker-compose.dev.yml";
    /** RabbitMQ alone (docker compose up -d rabbitmq from its directory): the top-level file's broker. */
    private static final String BROKER_ALONE = "infrastructure/message_queue/docker-compose.yml";
    private static final Set<String> SERVICES = Set.of("rabbitmq", "postgres", "log-consumer", "bot-action-worker",
            "prometheus", "grafana");
    /** Host ports published without the development override: the apps' HTTP, the management UI and Grafana. */
    private static final Set<Integer> PUBLISHED = Set.of(8081, 8082, 15672, 3000);
    static final Map<String, Integer> APP_PORTS = Map.of("log-consumer", 8081, "bot-action-worker", 8082);
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)([^}]*)}");
    private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(pass|secret|token|credential|api_?key).*");

    private final JsonNode compose = Repo.yaml(COMPOSE);
    private final JsonNode services = compose.path("services");

    @Test
    void hasTheServicesUsersRun() {
        assertThat(names(services)).containsExactlyInAnyOrderElementsOf(SERVICES);
    }

    @Test
    void rabbitmqIsAPinned4xManagementImageWithItsDataOnANamedVolume() {
        JsonNode rabbitmq = services.path("rabbitmq");
        assertThat(rabbitmq.path("image").asText()).matches("rabbitmq:4\\.\\d+\\.\\d+-management");
        assertThat(strings(rabbitmq.path("volumes"))).contains("rabbitmq_data:/var/lib/rabbitmq");
        // The node name, and so the data directory on the volume, must not change with each new container.
        assertThat(rabbitmq.path("hostname").asText()).isNotBlank();
    }

    @Test
    void rabbitmqLoadsTheGeneratedDefinitionsAndTheUserFromEnvFile() {
        JsonNode rabbitmq = services.path("rabbitmq");
        Map<String, String> mounts = bindMounts(rabbitmq);
        assertThat(mounts).containsEntry("/etc/rabbitmq/rabbitmq.conf", "./infrastructure/message_queue/rabbitmq.conf");
        assertThat(mounts).containsEntry("/etc/rabbitmq/enabled_plugins", "./infrastructure/message_queue/enabled_plugins");

        String conf = Repo.read("infrastructure/message_queue/rabbitmq.conf");
        Matcher load = Pattern.compile("(?m)^load_definitions\\s*=\\s*(\\S+)\\s*$").matcher(conf);
        assertThat(load.find()).as("rabbitmq.conf sets load_definitions").isTrue();
        String definitionsDir = load.group(1).replaceAll("/$", "");

        String topologyTarget = mounts.entrySet().stream()
                .filter(e -> e.getValue().equals("./infrastructure/message_queue/definitions.json"))
                .map(Map.Entry::getKey).findFirst().orElseThrow(() -> new AssertionError("definitions.json is not mounted"));
        assertThat(Path.of(topologyTarget).getParent()).isEqualTo(Path.of(definitionsDir));

        // With load_definitions the broker creates no default user: the users come from a definitions file that
        // compose writes from .env, imported after the topology (which creates vhost "/").
        JsonNode userConfig = rabbitmq.path("configs").get(0);
        String usersTarget = userConfig.path("target").asText();
        assertThat(Path.of(usersTarget).getParent()).isEqualTo(Path.of(definitionsDir));
        assertThat(Path.of(usersTarget).getFileName().toString()).isGreaterThan(Path.of(topologyTarget).getFileName().toString());
        String content = compose.path("configs").path(userConfig.path("source").asText()).path("content").asText();
        assertThat(content).contains("${RABBITMQ_USERNAME", "${RABBITMQ_PASSWORD", "\"permissions\"", "\"vhost\": \"/\"");

        assertThat(Repo.read("infrastructure/message_queue/enabled_plugins"))
                .contains("rabbitmq_management", "rabbitmq_prometheus");
    }

    @Test
    void appsAreBuiltFromTheDockerfilesWithTheirModuleAndCheckReadiness() {
        APP_PORTS.forEach((app, port) -> {
            JsonNode service = services.path(app);
            JsonNode build = service.path("build");
            assertThat(build.path("context").asText()).as(app + " build context").isEqualTo(".");
            assertThat(build.path("dockerfile").asText()).as(app + " dockerfile").isEqualTo("src/main/docker/Dockerfile.jvm");
            assertThat(build.path("args").path("MODULE").asText()).as(app + " MODULE").isEqualTo(app);
            assertThat(Files.isDirectory(Repo.path(app))).isTrue();

            String healthcheck = String.join(" ", strings(service.path("healthcheck").path("test")));
            assertThat(healthcheck).as(app + " health check").contains("/q/health/ready", String.valueOf(port));
            assertThat(service.path("environment").path("RABBITMQ_HOST").asText()).isEqualTo("rabbitmq");
            assertThat(ports(service)).as(app + " published port").containsExactly(port);
        });
        JsonNode logConsumer = services.path("log-consumer").path("environment");
        assertThat(logConsumer.path("QUARKUS_DATASOURCE_REACTIVE_URL").asText()).startsWith("postgresql://postgres:5432/");
    }

    @Test
    void dependenciesWaitForHealthyServicesThatHaveHealthChecks() {
        assertThat(dependsOn("log-consumer")).containsEntry("rabbitmq", "service_healthy").containsEntry("postgres", "service_healthy");
        assertThat(dependsOn("bot-action-worker")).containsEntry("rabbitmq", "service_healthy");
        for (String service : names(services)) {
            dependsOn(service).forEach((dependency, condition) -> {
                assertThat(SERVICES).as(service + " depends on a service of this file").contains(dependency);
                if (condition.equals("service_healthy")) {
                    assertThat(services.path(dependency).path("healthcheck").path("test").isMissingNode())
                            .as(dependency + " has a health check (" + service + " waits for it to be healthy)").isFalse();
                }
            });
        }
    }

    @Test
    void everyServiceHasAHealthCheckARestartPolicyAndAMemoryLimit() {
        for (String name : names(services)) {
            JsonNode service = services.path(name);
            assertThat(service.path("healthcheck").path("test").size()).as(name + " health check").isGreaterThan(1);
            assertThat(service.path("restart").asText()).as(name + " restart policy").isIn("always", "unless-stopped", "on-failure");
            assertThat(service.path("deploy").path("resources").path("limits").path("memory").asText())
                    .as(name + " memory limit").matches("\\d+[kKmMgG]");
        }
    }

    @Test
    void healthChecksEscapeTheShellsVariables() {
        // Compose fills in $status itself (empty when unset), and bash (5.2, tried) exits 0 on the broken [[ ]] that leaves:
        // the check would pass with the app down. A variable for the container's shell is written $$status.
        for (String name : names(services)) {
            for (String word : strings(services.path(name).path("healthcheck").path("test"))) {
                assertThat(word.replace("$$", "")).as(name + " health check word " + word).doesNotContain("$");
            }
        }
    }

    @Test
    void everyImageIsPinned() {
        for (String name : names(services)) {
            String image = services.path(name).path("image").asText();
            assertThat(image).as(name + " image").matches("[^:]+:[^:]+").doesNotEndWith(":latest");
        }
    }

    @Test
    void statefulServicesKeepTheirDataOnDeclaredNamedVolumes() {
        Set<String> declared = names(compose.path("volumes"));
        Set<String> used = new TreeSet<>();
        for (String name : names(services)) {
            for (String volume : strings(services.path(name).path("volumes"))) {
                String source = volume.split(":")[0];
                if (!source.startsWith(".") && !source.startsWith("/")) {
                    used.add(source);
                }
            }
        }
        assertThat(used).as("named volumes used").isEqualTo(declared)
                .contains("rabbitmq_data", "postgres_data", "prometheus_data", "grafana_data");
    }

    @Test
    void onlyTheAppsTheManagementUiAndGrafanaArePublished() {
        Set<Integer> published = new HashSet<>();
        names(services).forEach(name -> published.addAll(ports(services.path(name))));
        assertThat(published).isEqualTo(PUBLISHED);
    }

    @Test
    void theDevelopmentOverridePublishesAmqpOnLoopbackOnly() {
        JsonNode override = Repo.yaml(DEV_OVERRIDE).path("services");
        assertThat(SERVICES).containsAll(names(override));
        List<String> rabbitmqPorts = strings(override.path("rabbitmq").path("ports"));
        assertThat(rabbitmqPorts).contains("127.0.0.1:5672:5672");
        names(override).forEach(name -> strings(override.path(name).path("ports"))
                .forEach(port -> assertThat(port).as(name + " port in " + DEV_OVERRIDE).startsWith("127.0.0.1:")));
    }

    @Test
    void noSecretIsWrittenIntoTheComposeFiles() {
        for (String file : List.of(COMPOSE, DEV_OVERRIDE, BROKER_ALONE)) {
            JsonNode root = Repo.yaml(file);
            walk(root, "", (path, value) -> {
                String key = path.substring(path.lastIndexOf('.') + 1);
                // A service's secrets[n] names a Docker secret declared below; its content is a file, not this value.
                boolean secretReference = key.matches("secrets\\[\\d+]");
                if (SECRET_KEY.matcher(key).matches() && !secretReference && !isSecretFilePath(key, value)) {
                    assertThat(value).as(file + " " + path + " comes from .env, required and without a default")
                            .matches("\\$\\{[A-Z_][A-Z0-9_]*(:\\?[^}]*)?}");
                }
                assertThat(value).as(file + " " + path).doesNotContainIgnoringCase("change-me").isNotEqualTo("guest");
            });
            // JSON inside config contents: a "password" value must be a variable too
            Matcher inlinePassword = Pattern.compile("\"password\"\\s*:\\s*\"([^\"]*)\"").matcher(Repo.read(file));
            while (inlinePassword.find()) {
                assertThat(inlinePassword.group(1)).as(file + " inline password").startsWith("${").endsWith("}");
            }
        }
    }

    @Test
    void everyVariableIsDocumentedInEnvExampleAndEnvIsIgnored() {
        Map<String, String> example = envExample();
        Set<String> required = new TreeSet<>();
        for (String file : List.of(COMPOSE, DEV_OVERRIDE, BROKER_ALONE)) {
            Matcher variable = VARIABLE.matcher(Repo.read(file).replace("$$", ""));
            while (variable.find()) {
                required.add(variable.group(1));
            }
        }
        assertThat(example.keySet()).as(".env.example").containsAll(required);
        assertThat(required).as("variables docker-compose.yml uses").containsAll(example.keySet());
        assertThat(Repo.read(".gitignore").lines().map(String::strip)).contains(".env");
        assertThat(Repo.read(".gitignore").lines().map(String::strip)).doesNotContain(".env.example", ".env*");
        example.forEach((name, value) -> {
            if (SECRET_KEY.matcher(name).matches() && !isSecretFilePath(name, value)) {
                assertThat(value).as(".env.example " + name + " is a placeholder").isEqualTo("change-me");
            }
        });
    }

    @Test
    void theBotWorkerGetsItsDatabaseAndItsXCredentialsAsADockerSecret() {
        JsonNode bot = services.path("bot-action-worker");
        assertThat(strings(bot.path("secrets"))).contains("bot_credentials");
        assertThat(bot.path("environment").path("BOT_CREDENTIALS_FILE").asText()).isEqualTo("/run/secrets/bot_credentials");
        assertThat(bot.path("environment").path("QUARKUS_DATASOURCE_REACTIVE_URL").asText()).startsWith("postgresql://postgres:");
        assertThat(bot.path("depends_on").path("postgres").path("condition").asText()).isEqualTo("service_healthy");
        assertThat(compose.path("secrets").path("bot_credentials").path("file").asText()).startsWith("${BOT_CREDENTIALS_PATH:?");
    }

    @Test
    void theWorkersGetTheirPasswordsAsFilesNotInTheirEnvironment() {
        for (String worker : List.of("log-consumer", "bot-action-worker")) {
            JsonNode service = services.path(worker);
            assertThat(names(service.path("environment"))).as(worker + "'s environment")
                    .noneMatch(name -> SECRET_KEY.matcher(name).matches()
                            && !isSecretFilePath(name, service.path("environment").path(name).asText()));
            String directory = service.path("environment").path("VIVESPHERE_SECRETS_DIR").asText();
            assertThat(directory).as(worker + " reads its secrets directory").isEqualTo("/run/secrets/vivesphere");
            Map<String, String> targets = new java.util.TreeMap<>();
            service.path("secrets").forEach(use -> targets.put(use.path("target").asText(), use.path("source").asText()));
            assertThat(targets).containsEntry(directory + "/RABBITMQ_PASSWORD", "rabbitmq_password")
                    .containsEntry(directory + "/QUARKUS_DATASOURCE_PASSWORD", "postgres_password");
        }
        assertThat(compose.path("secrets").path("rabbitmq_password").path("environment").asText()).isEqualTo("RABBITMQ_PASSWORD");
        assertThat(compose.path("secrets").path("postgres_password").path("environment").asText()).isEqualTo("POSTGRES_PASSWORD");
    }

    /** Where a secret file (or directory) is (a Docker secret's mount point, or a host path): not a secret itself. */
    private static boolean isSecretFilePath(String name, String value) {
        return (name.endsWith("_FILE") || name.endsWith("_PATH") || name.endsWith("_DIR"))
                && (value.startsWith("/run/secrets/") || value.startsWith("./") && value.endsWith(".json"));
    }

    @Test
    void everyFileTheServicesMountOrBuildFromExists() {
        for (String file : List.of(COMPOSE, DEV_OVERRIDE)) {
            JsonNode root = Repo.yaml(file).path("services");
            for (String name : names(root)) {
                JsonNode service = root.path(name);
                bindMounts(service).values().forEach(source -> assertThat(Repo.path(source))
                        .as(file + " " + name + " mounts " + source).exists());
                JsonNode build = service.path("build");
                if (!build.isMissingNode()) {
                    assertThat(Repo.path(build.path("context").asText())).isDirectory();
                    assertThat(Repo.path(build.path("context").asText()).resolve(build.path("dockerfile").asText()))
                            .as(name + " dockerfile").isRegularFile();
                }
                for (String envFile : strings(service.path("env_file"))) {
                    assertThat(Repo.path(envFile)).as(name + " env_file").exists();
                }
            }
        }
        JsonNode configs = compose.path("configs");
        for (String name : names(configs)) {
            JsonNode config = configs.path(name);
            assertThat(config.has("content") || Files.exists(Repo.path(config.path("file").asText())))
                    .as("config " + name).isTrue();
        }
    }

    @Test
    void grafanaIsProvisionedFromTheRepositoryAndPrometheusScrapesTheServices() {
        Map<String, String> grafana = bindMounts(services.path("grafana"));
        assertThat(grafana).containsEntry("/etc/grafana/provisioning", "./grafana/provisioning");
        String dashboardsDir = grafana.entrySet().stream().filter(e -> e.getValue().equals("./grafana/dashboards"))
                .map(Map.Entry::getKey).findFirst().orElseThrow(() -> new AssertionError("grafana/dashboards is not mounted"));
        JsonNode provider = Repo.yaml("grafana/provisioning/dashboards/vivesphere.yml").path("providers").get(0);
        assertThat(provider.path("options").path("path").asText()).isEqualTo(dashboardsDir);
        String home = services.path("grafana").path("environment").path("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH").asText();
        assertThat(Repo.path("grafana/dashboards").resolve(Path.of(dashboardsDir).relativize(Path.of(home)))).isRegularFile();

        JsonNode datasource = Repo.yaml("grafana/provisioning/datasources/prometheus.yml").path("datasources").get(0);
        assertThat(datasource.path("url").asText()).isEqualTo("http://prometheus:9090");
        assertThat(bindMounts(services.path("prometheus")))
                .containsEntry("/etc/prometheus/prometheus.yml", "./infrastructure/prometheus/prometheus.yml");
    }

    @Test
    void theBrokerAloneFileRunsTheTopLevelBrokerFromTheSameFilesWithItsPortsOnLoopback() {
        JsonNode alone = Repo.yaml(BROKER_ALONE);
        assertThat(names(alone.path("services"))).containsExactly("rabbitmq");
        JsonNode broker = alone.path("services").path("rabbitmq");
        JsonNode topLevel = services.path("rabbitmq");
        for (String field : List.of("image", "hostname", "configs", "healthcheck", "restart", "deploy")) {
            assertThat(broker.path(field)).as(BROKER_ALONE + " rabbitmq " + field).isEqualTo(topLevel.path(field));
        }
        // Its bind mounts are relative to its own directory: the same files of the repository, at the same places.
        Path directory = Path.of(BROKER_ALONE).getParent();
        Map<String, String> mounts = new HashMap<>();
        bindMounts(broker).forEach((target, source) -> mounts.put(target, "./" + directory.resolve(source).normalize()));
        assertThat(mounts).isEqualTo(bindMounts(topLevel));
        assertThat(strings(broker.path("volumes"))).contains("rabbitmq_data:/var/lib/rabbitmq");
        assertThat(names(alone.path("volumes"))).containsExactly("rabbitmq_data");
        assertThat(names(alone.path("configs"))).containsExactly("rabbitmq_users");
        assertThat(alone.path("configs").path("rabbitmq_users")).isEqualTo(compose.path("configs").path("rabbitmq_users"));
        assertThat(strings(broker.path("ports"))).containsExactlyInAnyOrder("127.0.0.1:5672:5672", "127.0.0.1:15672:15672");
        assertThat(alone.path("name").asText()).as("a project of its own, beside the whole stack's").isNotBlank()
                .isNotEqualTo(compose.path("name").asText());
    }

    @Test
    void theWorkersStopGracePeriodOutlastsTheirDrainOnSigterm() {
        // VIVESPHERE_RABBITMQ_SHUTDOWN_TIMEOUT's default: the messages in flight may take that long to finish
        Duration drain = Duration.ofSeconds(20);
        assertThat(Repo.read("worker-runtime/src/main/resources/META-INF/microprofile-config.properties"))
                .contains("vivesphere.rabbitmq.shutdown-timeout=" + drain.toSeconds() + "s");
        for (String app : APP_PORTS.keySet()) {
            assertThat(ComposeService.of(app).stopGracePeriod()).as(app + " stop_grace_period").isGreaterThan(drain.plusSeconds(5));
        }
    }

    private Map<String, String> dependsOn(String service) {
        Map<String, String> conditions = new LinkedHashMap<>();
        JsonNode dependsOn = services.path(service).path("depends_on");
        if (dependsOn.isArray()) {
            dependsOn.forEach(d -> conditions.put(d.asText(), "service_started"));
        } else {
            dependsOn.properties().forEach(e -> conditions.put(e.getKey(), e.getValue().path("condition").asText("service_started")));
        }
        return conditions;
    }

    /** Container path to host path, of the bind mounts (short syntax) of a service. */
    private static Map<String, String> bindMounts(JsonNode service) {
        Map<String, String> mounts = new HashMap<>();
        for (String volume : strings(service.path("volumes"))) {
            String[] parts = volume.split(":");
            if (parts[0].startsWith(".")) {
                mounts.put(parts[1], parts[0]);
            }
        }
        return mounts;
    }

    /** The host ports a service publishes ("[address:]host:container" or a variable address). */
    private static List<Integer> ports(JsonNode service) {
        List<Integer> ports = new ArrayList<>();
        for (String port : strings(service.path("ports"))) {
            String[] parts = VARIABLE.matcher(port).replaceAll("ADDRESS").split(":");
            assertThat(parts.length).as("port " + port + " names the host port").isGreaterThanOrEqualTo(2);
            ports.add(Integer.parseInt(parts[parts.length - 2]));
        }
        return ports;
    }

    private static Map<String, String> envExample() {
        Map<String, String> values = new LinkedHashMap<>();
        Repo.read(".env.example").lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .forEach(line -> {
                    int equals = line.indexOf('=');
                    values.put(line.substring(0, equals), line.substring(equals + 1));
                });
        return values;
    }

    private static void walk(JsonNode node, String path, BiConsumer<String, String> visitor) {
        if (node.isObject()) {
            node.properties().forEach(e -> walk(e.getValue(), path + "." + e.getKey(), visitor));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), path + "[" + i + "]", visitor);
            }
        } else if (!node.isNull()) {
            visitor.accept(path, node.asText());
        }
    }

    static Set<String> names(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.properties().forEach(e -> names.add(e.getKey()));
        return names;
    }

    static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        if (array.isArray()) {
            array.forEach(v -> values.add(v.asText()));
        } else if (!array.isMissingNode() && !array.isNull()) {
            values.add(array.asText());
        }
        return values;
    }
}
