package com.vivesphere.mq.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.vivesphere.mq.testing.ProjectRoot;

/** Files of the repository the tests check. */
final class Repo {

    static final Path ROOT = ProjectRoot.PATH;
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();

    /** The modules packaged as application images. */
    static final java.util.List<String> APP_MODULES = java.util.List.of("log-consumer", "bot-action-worker");

    private Repo() {
    }

    static Path path(String relative) {
        return ROOT.resolve(relative).normalize();
    }

    static String read(String relative) {
        try {
            return Files.readString(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode yaml(String relative) {
        try {
            return YAML.readTree(path(relative).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(relative + " is not valid YAML", e);
        }
    }

    static JsonNode json(String relative) {
        try {
            return JSON.readTree(path(relative).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(relative + " is not valid JSON", e);
        }
    }

    /** The packaged fast-jar of an application module. */
    static Path appJar(String module) {
        Path jar = path(module + "/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package the apps first (./mvnw -B package -DskipTests,"
                    + " or ./mvnw -B verify, which packages them before this module)");
        }
        return jar;
    }
}
