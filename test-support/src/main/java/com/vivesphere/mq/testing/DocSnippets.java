package com.vivesphere.mq.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The code blocks of the documentation (README.md, docs/**&#47;*.md, a module's README.md) that follow a
 * {@code <!-- snippet: NAME -->} marker, so tests run the documentation exactly as written. A name is unique
 * across all these files, so a snippet can move between documents without its tests changing.
 */
public final class DocSnippets {

    private static final Path ROOT = ProjectRoot.PATH;

    private DocSnippets() {
    }

    /** The fenced code block after the marker {@code <!-- snippet: name -->}, wherever it is. */
    public static String snippet(String name) {
        String marker = "<!-- snippet: " + name + " -->";
        List<Path> holders = documents().stream().filter(document -> lines(document).contains(marker)).toList();
        if (holders.isEmpty()) {
            throw new IllegalStateException("No snippet '" + name + "' in README.md, docs/**/*.md or a module's README.md");
        }
        List<String> lines = lines(holders.get(0));
        if (holders.size() > 1 || lines.indexOf(marker) != lines.lastIndexOf(marker)) {
            throw new IllegalStateException("Snippet '" + name + "' is defined more than once, in "
                    + holders.stream().map(ROOT::relativize).map(Path::toString).collect(Collectors.joining(", "))
                    + ": snippet names must be unique across the documentation");
        }
        return codeBlockAfter(lines, lines.indexOf(marker));
    }

    private static String codeBlockAfter(List<String> lines, int marker) {
        int open = marker + 1;
        while (!lines.get(open).startsWith("```")) {
            open++;
        }
        List<String> body = new ArrayList<>();
        for (int i = open + 1; !lines.get(i).startsWith("```"); i++) {
            body.add(lines.get(i));
        }
        return String.join("\n", body) + "\n";
    }

    /** README.md, every *.md under docs/, and the README.md of each module (a directory of the root). */
    private static List<Path> documents() {
        List<Path> documents = new ArrayList<>();
        documents.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"));
                Stream<Path> modules = Files.list(ROOT)) {
            docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(documents::add);
            modules.map(module -> module.resolve("README.md")).filter(Files::isRegularFile).sorted().forEach(documents::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return documents;
    }

    private static List<String> lines(Path document) {
        try {
            return Files.readAllLines(document, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a Python snippet with the given environment; returns its standard output, fails on a non-zero exit. */
    public static String runPython(String name, Map<String, String> environment) throws IOException, InterruptedException {
        Path script = Files.createTempFile("snippet-" + name, ".py");
        try {
            Files.writeString(script, snippet(name));
            ProcessBuilder builder = new ProcessBuilder(python(), script.toString()).redirectErrorStream(true);
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("Snippet " + name + " did not finish within 60 s");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("Snippet " + name + " exited " + process.exitValue() + ":\n" + output);
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
