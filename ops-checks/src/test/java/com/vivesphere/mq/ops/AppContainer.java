package com.vivesphere.mq.ops;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One worker's container, started as docker-compose.yml starts its service but with podman and on the host's
 * network (so the local RabbitMQ and PostgreSQL are reached over loopback under Compose's service names):
 * the service's environment, its secrets mounted read-only where Compose mounts them, its memory limit.
 */
final class AppContainer implements AutoCloseable {

    private static final Duration COMMAND = Duration.ofSeconds(60);

    private final Podman podman;
    private final String name;
    private final ComposeService service;
    private final int port;
    private final List<String> healthCheck;
    private final long startNanos;

    private AppContainer(Podman podman, String name, ComposeService service, int port, List<String> healthCheck,
            long startNanos) {
        this.podman = podman;
        this.name = name;
        this.service = service;
        this.port = port;
        this.healthCheck = healthCheck;
        this.startNanos = startNanos;
    }

    /**
     * Starts {@code image} with {@code environment}, the service's secrets from {@code secretMounts} and its memory
     * limit; the app listens on {@code port} (QUARKUS_HTTP_PORT), which its health check (interpolated with
     * {@code dotEnv}) is pointed at too.
     */
    static AppContainer start(Podman podman, String image, ComposeService service, Map<String, String> dotEnv,
            Map<String, String> environment, Map<Path, String> secretMounts, int port) {
        List<String> healthCheck = onPort(service, service.healthCheckCommand(dotEnv), port);
        String name = "vivesphere-test-" + service.name() + "-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> run = new ArrayList<>(List.of("run", "--detach", "--name", name, "--network", "host",
                "--add-host", "rabbitmq:127.0.0.1", "--add-host", "postgres:127.0.0.1",
                "--memory", String.valueOf(service.memoryLimitBytes())));
        environment.forEach((variable, value) -> run.addAll(List.of("--env", variable + "=" + value)));
        run.addAll(List.of("--env", "QUARKUS_HTTP_PORT=" + port));
        secretMounts.forEach((file, target) -> run.addAll(List.of("--volume", file + ":" + target + ":ro")));
        run.add(image);
        long start = System.nanoTime();
        podman.ok(COMMAND, run.toArray(String[]::new));
        return new AppContainer(podman, name, service, port, healthCheck, start);
    }

    String name() {
        return name;
    }

    ComposeService service() {
        return service;
    }

    int port() {
        return port;
    }

    double secondsSinceStart() {
        return StandinBase.seconds(startNanos);
    }

    /** Compose's health check command, run in the container as Compose runs it (its port is this one's). */
    Podman.Result healthCheck() {
        return exec(healthCheckCommand());
    }

    List<String> healthCheckCommand() {
        return healthCheck;
    }

    private static List<String> onPort(ComposeService service, List<String> healthCheck, int port) {
        String composePort = "/" + ComposeFileTest.APP_PORTS.get(service.name()) + " ";
        List<String> command = healthCheck.stream().map(word -> word.replace(composePort, "/" + port + " ")).toList();
        if (command.equals(healthCheck)) {
            throw new IllegalStateException(service.name() + "'s health check does not name its port: " + command);
        }
        return command;
    }

    Podman.Result exec(List<String> command) {
        List<String> exec = new ArrayList<>(List.of("exec", name));
        exec.addAll(command);
        return podman.run(COMMAND, exec);
    }

    String execOk(String... command) {
        Podman.Result result = exec(List.of(command));
        if (!result.ok()) {
            throw new IllegalStateException(String.join(" ", command) + " in " + name + " exited " + result.exitCode()
                    + ":\n" + result.output() + result.errors());
        }
        return result.output().strip();
    }

    boolean isRunning() {
        return podman.ok(COMMAND, "container", "inspect", "--format", "{{.State.Running}}", name).equals("true");
    }

    /** {@code podman stop} with the grace period (SIGTERM, then SIGKILL at its end); returns seconds taken. */
    double stop(Duration gracePeriod) {
        long start = System.nanoTime();
        podman.ok(gracePeriod.plusSeconds(30), "stop", "--time", String.valueOf(gracePeriod.toSeconds()), name);
        return StandinBase.seconds(start);
    }

    int exitCode() {
        return Integer.parseInt(podman.ok(COMMAND, "container", "inspect", "--format", "{{.State.ExitCode}}", name));
    }

    String logs() {
        Podman.Result logs = podman.run(COMMAND, "logs", name);
        return logs.output() + logs.errors();
    }

    String tail(int lines) {
        String[] all = logs().split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
    }

    @Override
    public void close() {
        podman.run(COMMAND, "rm", "--force", "--time", "0", name);
    }
}
