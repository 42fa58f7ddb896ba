package com.vivesphere.mq.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's root directory, found above the working directory (a module's, or the root itself). */
public final class ProjectRoot {

    public static final Path PATH = find();

    private ProjectRoot() {
    }

    public static Path resolve(String relative) {
        return PATH.resolve(relative);
    }

    private static Path find() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("mvnw")) && Files.exists(dir.resolve("test-support"))) {
                return dir;
            }
        }
        throw new IllegalStateException("not inside the vivesphere-mq repository: " + Path.of("").toAbsolutePath());
    }
}
