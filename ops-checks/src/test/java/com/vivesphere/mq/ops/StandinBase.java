package com.vivesphere.mq.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The STAND-IN for Dockerfile.jvm's base image (the real UBI OpenJDK runtime cannot be pulled here): Debian with
 * Debian's OpenJDK 17 runtime, user 185, /deployments and a minimal run-java.sh, made by the harness's
 * build-standin-base.sh with debootstrap. It is kept between runs; its tag carries a digest of the stand-in's
 * files, so a change to them builds a new one.
 */
final class StandinBase {

    private static final List<String> FILES = List.of("build-standin-base.sh", "stand-in-run-java.sh");
    private static final Duration BUILD = Duration.ofMinutes(10);

    private StandinBase() {
    }

    /** The stand-in's image name, built first if this machine has none of this version. */
    static String ensure(Podman podman, ContainerReport report) {
        List<Path> files = FILES.stream().map(Podman::resource).toList();
        String image = "localhost/vivesphere-standin/openjdk-17-runtime:" + digest(files);
        if (podman.imageExists(image)) {
            report.line("stand-in base image " + image + " reused (kept from an earlier run)");
            return image;
        }
        long start = System.nanoTime();
        Podman.Result build = Podman.execute(List.of("bash", files.get(0).toString(), image),
                Map.of("PODMAN_OPTIONS", podman.options()), BUILD);
        if (!build.ok()) {
            throw new IllegalStateException("building the stand-in base failed:\n" + build.output() + build.errors());
        }
        report.line("stand-in base image %s built from Debian packages in %.1f s", image, seconds(start));
        return image;
    }

    private static String digest(List<Path> files) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Path file : files) {
                sha.update(Files.readAllBytes(file));
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
