package com.vivesphere.mq.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Debian's podman as this machine can run it (docs/containers.md): runc with cgroupfs, through the harness's
 * runtime wrapper (resource containers/runc-without-rlimits.sh) that drops the RLIMIT_NPROC request the sandbox
 * refuses. The wrapper is test-machine glue: the images and the user instructions do not depend on it.
 */
final class Podman {

    static final String RESOURCES = "containers/";
    static final Path WORK = Repo.path("ops-checks/target/containers");

    /** The exit code, the standard output and the standard error of one command. */
    record Result(int exitCode, String output, String errors) {

        boolean ok() {
            return exitCode == 0;
        }
    }

    private final List<String> global;

    private Podman(List<String> global) {
        this.global = global;
    }

    /** The podman of this machine (installed by scripts/local-services.sh --install) with the harness's runtime. */
    static Podman local() {
        if (!executableOnPath("podman") || !executableOnPath("runc")) {
            throw new IllegalStateException("podman and runc are not installed: bash scripts/local-services.sh --install");
        }
        Path runtime = resource("runc-without-rlimits.sh");
        return new Podman(List.of("podman", "--runtime", runtime.toString(), "--cgroup-manager", "cgroupfs"));
    }

    /** The podman options of this harness, for scripts that call podman themselves. */
    String options() {
        return String.join(" ", global.subList(1, global.size()));
    }

    Result run(Duration timeout, List<String> arguments) {
        List<String> command = new ArrayList<>(global);
        command.addAll(arguments);
        return execute(command, Map.of(), timeout);
    }

    Result run(Duration timeout, String... arguments) {
        return run(timeout, List.of(arguments));
    }

    /** Runs podman and returns its standard output; fails with the whole output if podman failed. */
    String ok(Duration timeout, String... arguments) {
        Result result = run(timeout, arguments);
        if (!result.ok()) {
            throw new IllegalStateException("podman " + String.join(" ", arguments) + " exited " + result.exitCode()
                    + ":\n" + result.output() + result.errors());
        }
        return result.output().strip();
    }

    boolean imageExists(String image) {
        return run(Duration.ofSeconds(30), "image", "exists", image).ok();
    }

    /** A file of the harness's resources, copied out of the classpath to run it (executable). */
    static Path resource(String name) {
        try (InputStream in = Podman.class.getClassLoader().getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + RESOURCES + name);
            }
            Files.createDirectories(WORK);
            Path file = WORK.resolve(name);
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Result execute(List<String> command, Map<String, String> environment, Duration timeout) {
        try {
            Path output = Files.createTempFile(Files.createDirectories(WORK), "command", ".out");
            Path errors = Files.createTempFile(WORK, "command", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(output.toFile())
                        .redirectError(errors.toFile());
                builder.environment().putAll(environment);
                Process process = builder.start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout
                            + ":\n" + Files.readString(output, StandardCharsets.UTF_8) + Files.readString(errors, StandardCharsets.UTF_8));
                }
                return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8),
                        Files.readString(errors, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(output);
                Files.deleteIfExists(errors);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean executableOnPath(String name) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(directory, name))) {
                return true;
            }
        }
        return false;
    }
}
