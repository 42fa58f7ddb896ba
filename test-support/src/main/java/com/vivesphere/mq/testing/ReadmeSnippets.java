package com.vivesphere.mq.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The code blocks of README.md that follow a {@code <!-- snippet: NAME -->} marker, so tests run the
 * documentation exactly as written.
 */
public final class ReadmeSnippets {

    public static final Path README = findReadme();

    private ReadmeSnippets() {
    }

    private static Path findReadme() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("README.md")) && Files.exists(dir.resolve("mvnw"))) {
                return dir.resolve("README.md");
            }
        }
        throw new IllegalStateException("README.md of the project not found above " + Path.of("").toAbsolutePath());
    }

    /** The fenced code block after the marker {@code <!-- snippet: name -->}. */
    public static String snippet(String name) {
        try {
            List<String> lines = Files.readAllLines(README, StandardCharsets.UTF_8);
            int marker = lines.indexOf("<!-- snippet: " + name + " -->");
            if (marker < 0) {
                throw new IllegalStateException("README.md has no snippet '" + name + "'");
            }
            int open = marker + 1;
            while (!lines.get(open).startsWith("```")) {
                open++;
            }
            List<String> body = new ArrayList<>();
            for (int i = open + 1; !lines.get(i).startsWith("```"); i++) {
                body.add(lines.get(i));
            }
            return String.join("\n", body) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a Python snippet with the given environment; returns its standard output, fails on a non-zero exit. */
    public static String runPython(String name, Map<String, String> environment) throws IOException, InterruptedException {
        Path script = Files.createTempFile("readme-" + name, ".py");
        try {
            Files.writeString(script, snippet(name));
            ProcessBuilder builder = new ProcessBuilder(python(), script.toString()).redirectErrorStream(true);
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("README snippet " + name + " did not finish within 60 s");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("README snippet " + name + " exited " + process.exitValue() + ":\n" + output);
            }
            return output;
        } finally {
            Files.deleteIfExists(script);
        }
    }

    /** Debian's python3 (where python3-pika is installed), unless TEST_PYTHON names another interpreter. */
    private static String python() {
        String configured = System.getenv("TEST_PYTHON");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }
}
