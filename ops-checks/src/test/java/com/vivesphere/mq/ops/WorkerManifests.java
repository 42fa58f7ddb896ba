package com.vivesphere.mq.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/** What the worker manifests' checks read beside the rendered objects: the image's settings and the pods' values. */
final class WorkerManifests {

    private WorkerManifests() {
    }

    /** The literal environment values a container sets (a value taken from a Secret is not among them). */
    static Map<String, String> literalEnvironment(JsonNode container) {
        Map<String, String> environment = new LinkedHashMap<>();
        container.path("env").forEach(variable -> {
            if (variable.has("value")) {
                environment.put(variable.path("name").asText(), variable.path("value").asText());
            }
        });
        return environment;
    }

    /** Where the apps read the files of their secret settings (worker-runtime's SecretsDirectoryConfigSourceFactory). */
    static final String SECRETS_DIR = "VIVESPHERE_SECRETS_DIR";

    /**
     * The Secret and key ({@code name/key}) a setting of a worker comes from: an environment variable's
     * {@code secretKeyRef}, or a file of its secrets directory projected from a Secret.
     */
    static String secretSource(JsonNode deployment, String variable) {
        JsonNode container = KubernetesOverlays.container(deployment);
        for (JsonNode entry : container.path("env")) {
            JsonNode ref = entry.path("valueFrom").path("secretKeyRef");
            if (entry.path("name").asText().equals(variable) && !ref.isMissingNode()) {
                return ref.path("name").asText() + "/" + ref.path("key").asText();
            }
        }
        return secretsDirectory(deployment).getOrDefault(variable, "none");
    }

    /** The files of a worker's secrets directory, each with the {@code name/key} of the Secret it is projected from. */
    static Map<String, String> secretsDirectory(JsonNode deployment) {
        Map<String, String> files = new LinkedHashMap<>();
        JsonNode container = KubernetesOverlays.container(deployment);
        String directory = literalEnvironment(container).get(SECRETS_DIR);
        if (directory == null) {
            return files;
        }
        String volumeName = null;
        for (JsonNode mount : container.path("volumeMounts")) {
            if (mount.path("mountPath").asText().equals(directory)) {
                volumeName = mount.path("name").asText();
            }
        }
        for (JsonNode volume : deployment.path("spec").path("template").path("spec").path("volumes")) {
            if (volume.path("name").asText().equals(volumeName)) {
                for (JsonNode source : volume.path("projected").path("sources")) {
                    JsonNode secret = source.path("secret");
                    secret.path("items").forEach(item -> files.put(item.path("path").asText(),
                            secret.path("name").asText() + "/" + item.path("key").asText()));
                }
            }
        }
        if (files.isEmpty()) {
            throw new AssertionError(SECRETS_DIR + " " + directory + " is no projected volume of Secrets");
        }
        return files;
    }

    /**
     * The Secret and key ({@code name/key}) a file of a worker's pod is projected from, when the file is in a
     * read-only mount of a Secret or projected volume; "none" otherwise.
     */
    static String mountedSecretFile(JsonNode deployment, String file) {
        String directory = file.substring(0, file.lastIndexOf('/'));
        String name = file.substring(file.lastIndexOf('/') + 1);
        for (JsonNode mount : KubernetesOverlays.container(deployment).path("volumeMounts")) {
            if (!mount.path("mountPath").asText().equals(directory) || !mount.path("readOnly").asBoolean()) {
                continue;
            }
            for (JsonNode volume : deployment.path("spec").path("template").path("spec").path("volumes")) {
                if (!volume.path("name").asText().equals(mount.path("name").asText())) {
                    continue;
                }
                List<JsonNode> secrets = new ArrayList<>();
                volume.path("projected").path("sources").forEach(source -> secrets.add(source.path("secret")));
                secrets.add(volume.path("secret"));
                for (JsonNode secret : secrets) {
                    for (JsonNode item : secret.path("items")) {
                        if (item.path("path").asText().equals(name)) {
                            return secret.path("name").asText(secret.path("secretName").asText()) + "/" + item.path("key").asText();
                        }
                    }
                }
            }
        }
        return "none";
    }

    /** The names of the environment variables a container sets. */
    static java.util.List<String> variableNames(JsonNode container) {
        java.util.List<String> names = new java.util.ArrayList<>();
        container.path("env").forEach(variable -> names.add(variable.path("name").asText()));
        return names;
    }

    /** A value of the JVM image's {@code ENV} lines (src/main/docker/Dockerfile.jvm). */
    static String imageEnvironment(String name) {
        Matcher env = Pattern.compile("(?m)^ENV " + Pattern.quote(name) + "=\"?([^\"\\n]*)\"?$")
                .matcher(Repo.read("src/main/docker/Dockerfile.jvm"));
        if (!env.find()) {
            throw new AssertionError("Dockerfile.jvm sets no " + name);
        }
        return env.group(1);
    }

    /** The user the JVM image runs as (its last USER line). */
    static long imageUser() {
        Matcher user = Pattern.compile("(?m)^USER\\s+(\\d+)\\s*$").matcher(Repo.read("src/main/docker/Dockerfile.jvm"));
        String last = null;
        while (user.find()) {
            last = user.group(1);
        }
        if (last == null) {
            throw new AssertionError("Dockerfile.jvm has no numeric USER");
        }
        return Long.parseLong(last);
    }

    /** A Kubernetes memory quantity in bytes ({@code 512Mi}, {@code 1Gi}, {@code 400M}, plain bytes). */
    static long bytes(String quantity) {
        Matcher q = Pattern.compile("(\\d+)(Ki|Mi|Gi|k|M|G)?").matcher(quantity);
        if (!q.matches()) {
            throw new AssertionError("memory quantity " + quantity + " is not one this check reads");
        }
        long amount = Long.parseLong(q.group(1));
        return amount * switch (q.group(2) == null ? "" : q.group(2)) {
            case "Ki" -> 1L << 10;
            case "Mi" -> 1L << 20;
            case "Gi" -> 1L << 30;
            case "k" -> 1_000L;
            case "M" -> 1_000_000L;
            case "G" -> 1_000_000_000L;
            default -> 1L;
        };
    }
}
