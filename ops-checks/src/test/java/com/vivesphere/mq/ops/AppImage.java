package com.vivesphere.mq.ops;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One worker's JVM image, built as docker-compose.yml builds it (its context, Dockerfile and build arguments), on
 * the stand-in base in place of the Dockerfile's FROM ({@code podman build --from}); removed when closed.
 */
final class AppImage implements AutoCloseable {

    private static final Duration BUILD = Duration.ofMinutes(5);
    private static final Duration COMMAND = Duration.ofSeconds(60);

    private final Podman podman;
    private final String name;
    private final String base;
    private final double buildSeconds;

    private AppImage(Podman podman, String name, String base, double buildSeconds) {
        this.podman = podman;
        this.name = name;
        this.base = base;
        this.buildSeconds = buildSeconds;
    }

    static AppImage build(Podman podman, String base, ComposeService service) {
        return build(podman, base, service, service.dockerfile());
    }

    /** Builds with {@code dockerfile} instead of the service's (to show what a broken one does). */
    static AppImage build(Podman podman, String base, ComposeService service, Path dockerfile) {
        String name = "localhost/vivesphere-test/" + service.name() + ":" + UUID.randomUUID().toString().substring(0, 8);
        BuildResult result = tryBuild(podman, base, service, dockerfile, name);
        if (!result.ok()) {
            throw new IllegalStateException("podman build of " + service.name() + " exited " + result.exitCode() + ":\n"
                    + result.output() + result.errors());
        }
        return new AppImage(podman, name, base, result.seconds());
    }

    record BuildResult(int exitCode, String output, String errors, double seconds) {

        boolean ok() {
            return exitCode == 0;
        }
    }

    /**
     * One build: no intermediate images are kept (--layers=false), the build's containers are removed even when it
     * fails (--force-rm), and a failed build's partial image is removed.
     */
    static BuildResult tryBuild(Podman podman, String base, ComposeService service, Path dockerfile, String name) {
        List<String> build = new ArrayList<>(List.of("build", "--quiet", "--layers=false", "--force-rm", "--from", base,
                "--file", dockerfile.toString(), "--tag", name));
        service.buildArgs().forEach((arg, value) -> build.addAll(List.of("--build-arg", arg + "=" + value)));
        build.add(service.buildContext().toString());
        long start = System.nanoTime();
        Podman.Result result = podman.run(BUILD, build);
        double seconds = StandinBase.seconds(start);
        if (!result.ok() && podman.imageExists(name)) {
            podman.run(COMMAND, "rmi", "--force", name);
        }
        return new BuildResult(result.exitCode(), result.output(), result.errors(), seconds);
    }

    String name() {
        return name;
    }

    double buildSeconds() {
        return buildSeconds;
    }

    String inspect(String format) {
        return podman.ok(COMMAND, "image", "inspect", "--format", format, name);
    }

    long sizeBytes() {
        return Long.parseLong(inspect("{{.Size}}"));
    }

    long baseSizeBytes() {
        return Long.parseLong(podman.ok(COMMAND, "image", "inspect", "--format", "{{.Size}}", base));
    }

    /** What the Dockerfile added or changed on top of the base: podman's "A /path" and "C /path" lines. */
    List<String> changesOverBase() {
        return podman.ok(COMMAND, "image", "diff", name, base).lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    /** Runs {@code script} with bash in a throw-away container of this image, as root to see every file. */
    String runScript(String script) {
        return podman.ok(COMMAND, "run", "--rm", "--network", "none", "--user", "0", "--entrypoint", "bash", name, "-c", script);
    }

    @Override
    public void close() {
        podman.run(COMMAND, "rmi", "--force", name);
    }
}
