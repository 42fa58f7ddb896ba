package com.vivesphere.mq.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;

/**
 * The objects of deploy/kubernetes as {@code kubectl kustomize} renders an overlay (kubectl's built-in kustomize:
 * what a platform team applies with {@code kubectl apply -k}). Rendered once per overlay and test run.
 */
final class KubernetesOverlays {

    static final String DIRECTORY = "deploy/kubernetes";
    static final List<String> OVERLAYS = List.of("dev", "production");
    static final String APP_NAME = "app.kubernetes.io/name";
    /** The overlays that include components/tls: every connection over TLS (docs/kubernetes.md#tls); dev runs plain. */
    static final Set<String> TLS_OVERLAYS = Set.of("production");

    private static final Map<String, List<JsonNode>> RENDERED = new ConcurrentHashMap<>();

    private KubernetesOverlays() {
    }

    static Path overlay(String name) {
        return Repo.path(DIRECTORY + "/overlays/" + name);
    }

    static List<JsonNode> objects(String overlay) {
        return RENDERED.computeIfAbsent(overlay, KubernetesOverlays::render);
    }

    static List<JsonNode> ofKind(String overlay, String kind) {
        return objects(overlay).stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
    }

    static JsonNode one(String overlay, String kind, String name) {
        return ofKind(overlay, kind).stream().filter(o -> o.path("metadata").path("name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("overlay " + overlay + " renders no " + kind + " " + name));
    }

    static boolean tls(String overlay) {
        return TLS_OVERLAYS.contains(overlay);
    }

    /** The name of the workers' HTTP port: {@code https} where they serve HTTPS only. */
    static String httpPortName(String overlay) {
        return tls(overlay) ? "https" : "http";
    }

    /** The worker Deployment of an app module. */
    static JsonNode deployment(String overlay, String app) {
        return one(overlay, "Deployment", app);
    }

    /** The one container of a Deployment's pod template. */
    static JsonNode container(JsonNode deployment) {
        JsonNode containers = deployment.path("spec").path("template").path("spec").path("containers");
        if (containers.size() != 1) {
            throw new AssertionError(deployment.path("metadata").path("name").asText() + " has " + containers.size() + " containers");
        }
        return containers.get(0);
    }

    private static List<JsonNode> render(String overlay) {
        Process kubectl;
        try {
            kubectl = new ProcessBuilder("kubectl", "kustomize", overlay(overlay).toString())
                    .redirectError(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new AssertionError("kubectl is needed to render " + DIRECTORY + " (docs/kubernetes.md#checks): " + e.getMessage(), e);
        }
        try {
            byte[] out = kubectl.getInputStream().readAllBytes();
            String err = new String(kubectl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!kubectl.waitFor(2, TimeUnit.MINUTES) || kubectl.exitValue() != 0) {
                throw new AssertionError("kubectl kustomize " + overlay(overlay) + " failed: " + err);
            }
            List<JsonNode> objects = new ArrayList<>();
            try (MappingIterator<JsonNode> documents = Repo.YAML.readerFor(JsonNode.class).readValues(out)) {
                while (documents.hasNext()) {
                    JsonNode document = documents.next();
                    if (document != null && !document.isNull() && !document.isEmpty()) {
                        objects.add(document);
                    }
                }
            }
            return List.copyOf(objects);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            kubectl.destroy();
        }
    }
}
