package com.vivesphere.mq.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.vivesphere.mq.testing.ProductionJvm;

/**
 * The three Dockerfiles in src/main/docker, read as a Docker build would (no engine here): one set for both apps
 * (the module is a build argument), pinned base images, a non-root user, and every file they copy admitted to the
 * build context by .dockerignore (that the JVM image's files exist after packaging: {@link PackagedAppsIT}).
 */
class DockerfilesTest {

    private static final Pattern COPY = Pattern.compile("(?m)^COPY\\s+(?:--\\S+\\s+)*(\\S+)\\s+(\\S+)\\s*$");

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.native", "Dockerfile.native-micro"})
    void buildsEitherAppAsANonRootUserFromAPinnedBase(String name) {
        String dockerfile = Repo.read("src/main/docker/" + name);
        Matcher from = Pattern.compile("(?m)^FROM\\s+(\\S+)").matcher(dockerfile);
        assertThat(from.find()).isTrue();
        assertThat(from.group(1)).as("base image of " + name).matches("[^:]+:[0-9][^:]*");
        assertThat(dockerfile.indexOf("ARG MODULE")).as("ARG MODULE after FROM").isGreaterThan(from.start());

        Matcher user = Pattern.compile("(?m)^USER\\s+(\\S+)").matcher(dockerfile);
        String lastUser = null;
        while (user.find()) {
            lastUser = user.group(1);
        }
        assertThat(lastUser).as("the user " + name + " runs as").isNotNull().isNotIn("root", "0").matches("\\d+");
        assertThat(dockerfile.indexOf("ENTRYPOINT")).isGreaterThan(dockerfile.lastIndexOf("USER "));

        List<String> sources = copySources(dockerfile);
        assertThat(sources).isNotEmpty().allSatisfy(source -> assertThat(source).startsWith("${MODULE}/target/"));
        for (String module : Repo.APP_MODULES) {
            for (String source : sources) {
                String path = source.replace("${MODULE}", module);
                assertThat(admittedByDockerignore(path)).as(path + " is in the build context (.dockerignore)").isTrue();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.native", "Dockerfile.native-micro"})
    void copiesTheFastJarInLayersOrTheNativeExecutable(String name) {
        List<String> sources = copySources(Repo.read("src/main/docker/" + name));
        if (name.equals("Dockerfile.jvm")) {
            // dependencies first (changed least often), the application last
            assertThat(sources).containsExactly("${MODULE}/target/quarkus-app/lib/", "${MODULE}/target/quarkus-app/*.jar",
                    "${MODULE}/target/quarkus-app/app/", "${MODULE}/target/quarkus-app/quarkus/");
        } else {
            assertThat(sources).containsExactly("${MODULE}/target/*-runner");
        }
    }

    @Test
    void theJvmImagePinsTheCollectorTheHarnessesRunWorkersWith() {
        // The bench, the fault suite and these checks start workers with ProductionJvm.OPTIONS: the image
        // must run the same collector, or what they measure is not what production runs.
        assertThat(Repo.read("src/main/docker/Dockerfile.jvm")).containsPattern(
                "(?m)^ENV GC_CONTAINER_OPTIONS=\"" + Pattern.quote(ProductionJvm.GC) + "\"$");
        assertThat(ProductionJvm.OPTIONS).contains(ProductionJvm.GC);
    }

    static List<String> copySources(String dockerfile) {
        List<String> sources = new ArrayList<>();
        Matcher copy = COPY.matcher(dockerfile);
        while (copy.find()) {
            sources.add(copy.group(1));
        }
        return sources;
    }

    /** .dockerignore excludes everything ("*") and re-admits the packaged apps with "!" lines. */
    private static boolean admittedByDockerignore(String path) {
        List<String> lines = Repo.read(".dockerignore").lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(lines.get(0)).isEqualTo("*");
        String candidate = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        for (String line : lines.subList(1, lines.size())) {
            assertThat(line).startsWith("!");
            String admitted = line.substring(1).replaceAll("/$", "");
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + admitted);
            // a directory admits what lies beneath it; a glob admits the names it matches
            if (candidate.equals(admitted) || candidate.startsWith(admitted + "/") || matcher.matches(Path.of(candidate))) {
                return true;
            }
        }
        return false;
    }
}
