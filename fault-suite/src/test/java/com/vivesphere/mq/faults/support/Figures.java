package com.vivesphere.mq.faults.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * The figures a scenario measured, printed and appended to {@code target/faults/figures.txt} (the table of
 * docs/fault-suite.md is filled from it).
 */
public final class Figures {

    private Figures() {
    }

    public static void record(String scenario, String figure, Object value) {
        String line = String.format(Locale.ROOT, "%-28s %-58s %s", scenario, figure, value);
        System.out.println("[figure] " + line);
        Path file = output().resolve("figures.txt");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code target/faults}: logs of the worker processes, broker nodes' files, figures. */
    public static Path output() {
        return Path.of(System.getProperty("fault.output", "target/faults")).toAbsolutePath();
    }

    public static String mib(long kib) {
        return String.format(Locale.ROOT, "%.0f MiB", kib / 1024.0);
    }

    public static String seconds(double seconds) {
        return String.format(Locale.ROOT, "%.1f s", seconds);
    }
}
