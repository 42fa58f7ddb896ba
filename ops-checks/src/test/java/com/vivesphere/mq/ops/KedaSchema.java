package com.vivesphere.mq.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * KEDA's schemas: no Maven artifact models KEDA, so they come from the npm package {@code @kubernetes-models/keda}
 * (generated from KEDA's CRDs), pinned by src/test/keda-schema/package-lock.json and installed with {@code npm ci}
 * into target/ on first use (offline once npm's cache has it). Its validator checks types, enums and required
 * fields; it does not reject unknown fields, which {@link KubernetesManifestsTest}'s invariants cover for the
 * fields that matter.
 */
final class KedaSchema {

    private static final Path SOURCE = Repo.path("ops-checks/src/test/keda-schema");
    private static final Path INSTALLED = Repo.path("ops-checks/target/keda-schema");
    private static final List<String> FILES = List.of("package.json", "package-lock.json", "validate.mjs");

    private KedaSchema() {
    }

    /** What is wrong with the objects, one line each; empty when all are valid. */
    static synchronized String problems(List<JsonNode> objects) {
        install();
        try {
            Process node = new ProcessBuilder("node", "validate.mjs").directory(INSTALLED.toFile())
                    .redirectErrorStream(true).start();
            node.getOutputStream().write(Repo.JSON.writeValueAsBytes(objects));
            node.getOutputStream().close();
            String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!node.waitFor(1, TimeUnit.MINUTES)) {
                node.destroyForcibly();
                throw new AssertionError("node validate.mjs did not finish");
            }
            return node.exitValue() == 0 ? "" : out.isBlank() ? "node exited " + node.exitValue() : out;
        } catch (IOException e) {
            throw new AssertionError("node (Node.js) is needed to validate KEDA objects: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** npm ci into target/keda-schema unless the same lock file is installed there already. */
    private static void install() {
        try {
            Files.createDirectories(INSTALLED);
            Path lock = INSTALLED.resolve("package-lock.json");
            boolean current = Files.isDirectory(INSTALLED.resolve("node_modules")) && Files.exists(lock)
                    && Files.mismatch(lock, SOURCE.resolve("package-lock.json")) == -1;
            for (String file : FILES) {
                Files.copy(SOURCE.resolve(file), INSTALLED.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
            if (current) {
                return;
            }
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--prefer-offline")
                    .directory(INSTALLED.toFile()).redirectErrorStream(true).start();
            String out = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                throw new AssertionError("npm ci of " + SOURCE + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("npm (Node.js) is needed to install the KEDA schemas", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
