package com.vivesphere.mq.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * What only the build and the installed tools can show, so outside the unit lane: the files the JVM image copies
 * exist once the apps are packaged, the packaged apps carry no reflection-heavy library (native images), and
 * Prometheus's own promtool accepts infrastructure/prometheus/prometheus.yml.
 */
class PackagedAppsIT {

    /** Libraries that rely on runtime reflection or bytecode generation and break or bloat native images. */
    private static final List<String> REFLECTION_HEAVY = List.of("json-schema-validator", "gson", "reflections", "cglib",
            "javassist", "byte-buddy", "xstream", "kryo");

    @Test
    void everyFileTheJvmImageCopiesExistsAfterPackaging() {
        List<String> sources = DockerfilesTest.copySources(Repo.read("src/main/docker/Dockerfile.jvm"));
        assertThat(sources).isNotEmpty();
        for (String module : Repo.APP_MODULES) {
            for (String source : sources) {
                String path = source.replace("${MODULE}", module);
                assertThat(matches(path)).as(path + " exists after ./mvnw package").isNotEmpty();
            }
        }
    }

    @Test
    void appsShipNoReflectionHeavyLibrary() throws IOException {
        for (String module : Repo.APP_MODULES) {
            Path lib = Repo.appJar(module).getParent().resolve("lib/main");
            try (Stream<Path> jars = Files.list(lib)) {
                List<String> names = jars.map(p -> p.getFileName().toString()).toList();
                assertThat(names).as(module + " runtime libraries").isNotEmpty()
                        .noneMatch(name -> REFLECTION_HEAVY.stream().anyMatch(name::contains));
            }
        }
    }

    @Test
    void promtoolAcceptsThePrometheusConfig() throws IOException, InterruptedException {
        Path promtool = PrometheusServer.BINARY.resolveSibling("promtool");
        assertThat(promtool).as(promtool + " (Debian's prometheus package: bash scripts/local-services.sh --install)").isExecutable();
        Process check = new ProcessBuilder(promtool.toString(), "check", "config", Repo.path(PrometheusConfig.FILE).toString())
                .redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor()).as(output).isZero();
    }

    /** Files of the repository matching a COPY source (which may end in / or hold a glob). */
    private static List<Path> matches(String source) {
        String pattern = source.endsWith("/") ? source.substring(0, source.length() - 1) : source;
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        Path start = Repo.path(pattern.substring(0, pattern.lastIndexOf('/')));
        if (!Files.isDirectory(start)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(start)) {
            return files.filter(p -> matcher.matches(Repo.ROOT.relativize(p))).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
