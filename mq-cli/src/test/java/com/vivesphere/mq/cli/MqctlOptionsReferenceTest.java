package com.vivesphere.mq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.vivesphere.mq.testing.MarkdownTable;
import com.vivesphere.mq.testing.ProjectRoot;

/** mq-cli/README.md's table of options lists every option that defaults to an environment variable, with its default. */
class MqctlOptionsReferenceTest {

    private static final Path SOURCES = ProjectRoot.PATH.resolve("mq-cli/src/main/java");
    private static final Path README = ProjectRoot.PATH.resolve("mq-cli/README.md");
    private static final Pattern ENV_OPTION = Pattern.compile(
            "@Option\\(names = \"([^\"]+)\",\\s*defaultValue = \"\\$\\{env:([A-Z0-9_]+)(?::-([^}]*))?}\"");

    /** A row as the README should have it: the option, and its default in a leading code span or none. */
    record Documented(String option, String defaultValue) {
    }

    @Test
    void everyOptionReadFromTheEnvironmentIsDocumented() throws IOException {
        Map<String, Documented> expected = new HashMap<>();
        int environmentDefaults = 0;
        for (String source : sources()) {
            environmentDefaults += source.split("\\$\\{env:", -1).length - 1;
            Matcher option = ENV_OPTION.matcher(source);
            while (option.find()) {
                expected.put(option.group(2), new Documented("`" + option.group(1) + "`", option.group(3) == null ? "" : option.group(3)));
            }
        }
        assertThat(expected).as("options whose default is ${env:…} (each written @Option(names = \"--x\", defaultValue = …))")
                .hasSize(environmentDefaults);

        Map<String, Documented> documented = new HashMap<>();
        for (Map<String, String> row : MarkdownTable.under(README, "## Options and environment").rows()) {
            documented.put(MarkdownTable.leadingCode(row.get("Variable")).orElseThrow(),
                    new Documented(row.get("Option"), MarkdownTable.leadingCode(row.get("Default")).orElse("")));
        }
        assertThat(documented).isEqualTo(expected);
    }

    private static List<String> sources() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            return files.filter(file -> file.toString().endsWith(".java")).map(MqctlOptionsReferenceTest::read).toList();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
