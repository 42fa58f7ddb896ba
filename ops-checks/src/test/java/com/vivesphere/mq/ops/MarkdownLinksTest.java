package com.vivesphere.mq.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Every relative link of every Markdown file leads to a file that exists and, with a #fragment, to one of its headings. */
class MarkdownLinksTest {

    private static final Set<String> SKIPPED_DIRECTORIES = Set.of("target", "node_modules", ".git");

    @Test
    void everyRelativeLinkResolves() throws IOException {
        List<Path> files = markdownFiles();
        List<String> broken = new ArrayList<>();
        for (Path file : files) {
            for (String target : MarkdownFile.read(file).linkTargets()) {
                String problem = problem(file, target);
                if (problem != null) {
                    broken.add(Repo.ROOT.relativize(file) + ": (" + target + ") " + problem);
                }
            }
        }
        assertThat(files).contains(Repo.path("README.md"));
        assertThat(broken).as("broken relative links").isEmpty();
    }

    @Test
    void anchorsFollowGitHubsRule() {
        assertThat(MarkdownFile.anchor("Sharding `log_queue`")).isEqualTo("sharding-log_queue");
        assertThat(MarkdownFile.anchor("Dead letters, as mqctl reads them")).isEqualTo("dead-letters-as-mqctl-reads-them");
        assertThat(MarkdownFile.anchor("2026-11-27 (before the V3/V4 migrations)")).isEqualTo("2026-11-27-before-the-v3v4-migrations");
        assertThat(MarkdownFile.anchor("See [Topology](operations.md#topology)")).isEqualTo("see-topology");
    }

    /** Why the link is broken, or null. */
    private static String problem(Path file, String target) {
        if (target.matches("(?i)(https?|mailto):.*") || target.isEmpty()) {
            return null;
        }
        int hash = target.indexOf('#');
        String pathPart = hash < 0 ? target : target.substring(0, hash);
        Path linked = pathPart.isEmpty() ? file : file.getParent().resolve(pathPart).normalize();
        if (!Files.exists(linked)) {
            return "no such file";
        }
        if (hash < 0) {
            return null;
        }
        String fragment = target.substring(hash + 1);
        if (!linked.toString().endsWith(".md")) {
            return "a #fragment on a file that is not Markdown";
        }
        return MarkdownFile.read(linked).anchors().contains(fragment) ? null : "no heading #" + fragment + " there";
    }

    private static List<Path> markdownFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        Files.walkFileTree(Repo.ROOT, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                return SKIPPED_DIRECTORIES.contains(dir.getFileName().toString()) ? FileVisitResult.SKIP_SUBTREE
                        : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                if (file.toString().endsWith(".md")) {
                    files.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return files;
    }
}
