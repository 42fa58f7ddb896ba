package com.vivesphere.mq.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The project's root directory (where README.md and mvnw are), found above the working directory of a test. */
public final class Project {

    public static final Path ROOT = findRoot();

    private Project() {
    }

    private static Path findRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("README.md")) && Files.exists(dir.resolve("mvnw"))) {
                return dir;
            }
        }
        throw new IllegalStateException("README.md of the project not found above " + Path.of("").toAbsolutePath());
    }
}
