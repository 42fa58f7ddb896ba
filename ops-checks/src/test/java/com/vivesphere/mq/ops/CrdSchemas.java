package com.vivesphere.mq.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The schemas of KEDA's and cert-manager's CRDs: no Maven artifact models them (fabric8's cert-manager model is not
 * among the artifacts reached here), so they come from the npm packages {@code @kubernetes-models/keda} and
 * {@code @kubernetes-models/cert-manager} (generated from the CRDs), pinned by src/test/crd-schemas/package-lock.json
 * and installed with {@code npm ci} into target/ on first use (offline once npm's cache has them). Their validator
 * checks types, enums and required fields; it does not reject unknown fields, which the invariants of
 * {@link TopologyManifestsTest} and {@link KubernetesTlsTest} cover for the fields that matter.
 */
final class CrdSchemas {

    private static final Path SOURCE = Repo.path("ops-checks/src/test/crd-schemas");
    private static final Path INSTALLED = Repo.path("ops-checks/target/crd-schemas");
    private static final List<String> FILES = List.of("package.json", "package-lock.json", "validate.mjs");

    private CrdSchemas() {
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
            throw new AssertionError("node (Node.js) is needed to validate KEDA and cert-manager objects: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** npm ci into target/crd-schemas unless the same package and lock files are installed there already. */
    private static void install() {
        try {
            Files.createDirectories(INSTALLED);
            boolean current = Files.isDirectory(INSTALLED.resolve("node_modules"))
                    && Stream.of("package.json", "package-lock.json").allMatch(file -> same(INSTALLED.resolve(file), SOURCE.resolve(file)));
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
            throw new UncheckedIOException("npm (Node.js) is needed to install the KEDA and cert-manager schemas", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean same(Path installed, Path source) {
        try {
            return Files.exists(installed) && Files.mismatch(installed, source) == -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
