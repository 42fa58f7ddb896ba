package com.vivesphere.mq.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.LinkedHashSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Markdown file as GitHub renders it: its inline links and the anchors of its headings. */
record MarkdownFile(Path path, List<String> prose) {

    private static final Pattern LINK = Pattern.compile("!?\\[([^\\]]*)\\]\\(\\s*<?([^)\\s>]*)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern CODE_SPAN = Pattern.compile("`+[^`]*`+");
    private static final Pattern HEADING = Pattern.compile("^ {0,3}#{1,6}\\s+(.*?)(?:\\s+#+)?\\s*$");

    /** The file's lines outside fenced code blocks (a {@code #} or a link in code is neither a heading nor a link). */
    static MarkdownFile read(Path path) {
        try {
            List<String> prose = new ArrayList<>();
            boolean inFence = false;
            for (String line : Files.readAllLines(path)) {
                if (line.stripLeading().startsWith("```") || line.stripLeading().startsWith("~~~")) {
                    inFence = !inFence;
                } else if (!inFence) {
                    prose.add(line);
                }
            }
            return new MarkdownFile(path, prose);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The targets of the inline links and images, outside code spans. */
    List<String> linkTargets() {
        List<String> targets = new ArrayList<>();
        for (String line : prose) {
            Matcher link = LINK.matcher(CODE_SPAN.matcher(line).replaceAll(""));
            while (link.find()) {
                targets.add(link.group(2));
            }
        }
        return targets;
    }

    /** The anchors GitHub gives the headings, a repeated one suffixed {@code -1}, {@code -2} … */
    Set<String> anchors() {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : prose) {
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                String anchor = anchor(heading.group(1));
                int repeats = seen.merge(anchor, 1, Integer::sum) - 1;
                anchors.add(repeats == 0 ? anchor : anchor + "-" + repeats);
            }
        }
        return anchors;
    }

    /** GitHub's rule: the text of the heading, lower case, punctuation but '-' and '_' removed, each space a '-'. */
    static String anchor(String heading) {
        String text = LINK.matcher(heading).replaceAll("$1");
        return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}\\p{M}_\\- ]", "").replace(' ', '-');
    }
}
