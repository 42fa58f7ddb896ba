package com.vivesphere.mq.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** What the container test did and measured: printed as it happens and kept in target/containers/report.txt. */
final class ContainerReport {

    private final Path file;

    ContainerReport(Path file) {
        this.file = file;
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized void line(String format, Object... arguments) {
        String line = "[containers] " + (arguments.length == 0 ? format : format.formatted(arguments));
        System.out.println(line);
        try {
            Files.writeString(file, line + "\n", StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
