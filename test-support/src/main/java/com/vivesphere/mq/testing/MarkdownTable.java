package com.vivesphere.mq.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The table under a heading of a Markdown file, read as GitHub renders it: one block of {@code |} lines. A
 * line that is not a row ends the table, so a row after a blank line would not be part of it: that is an
 * error here, not a shorter table.
 */
public final class MarkdownTable {

    private static final Pattern LEADING_CODE_SPAN = Pattern.compile("`([^`]*)`");

    private final List<Map<String, String>> rows;

    private MarkdownTable(List<Map<String, String>> rows) {
        this.rows = rows;
    }

    /** The first table after the line {@code heading} (e.g. {@code "## log-consumer"}) of the file. */
    public static MarkdownTable under(Path file, String heading) {
        List<String> lines = lines(file);
        int at = lines.indexOf(heading);
        if (at < 0) {
            throw new IllegalStateException(file + " has no heading '" + heading + "'");
        }
        int start = at + 1;
        while (start < lines.size() && !isRow(lines.get(start)) && !isHeading(lines.get(start))) {
            start++;
        }
        if (start == lines.size() || !isRow(lines.get(start))) {
            throw new IllegalStateException(file + " has no table under '" + heading + "'");
        }
        int end = start;
        while (end < lines.size() && isRow(lines.get(end))) {
            end++;
        }
        for (int i = end; i < lines.size() && !isHeading(lines.get(i)); i++) {
            if (isRow(lines.get(i))) {
                throw new IllegalStateException("The table under '" + heading + "' of " + file + " is split at line "
                        + (end + 1) + ": line " + (i + 1) + " and what follows do not render as part of it");
            }
        }
        List<String> header = cells(lines.get(start));
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(start + 2, end)) {
            List<String> cells = cells(line);
            Map<String, String> row = new LinkedHashMap<>();
            for (int column = 0; column < header.size(); column++) {
                row.put(header.get(column), column < cells.size() ? cells.get(column) : "");
            }
            rows.add(row);
        }
        return new MarkdownTable(rows);
    }

    /** The rows, each a map from the column's header to the cell's text. */
    public List<Map<String, String>> rows() {
        return rows;
    }

    /** The code span a cell starts with ({@code `5m` (dev: `1m`)} gives {@code 5m}); none for {@code (dev: `1m`)}. */
    public static Optional<String> leadingCode(String cell) {
        Matcher code = LEADING_CODE_SPAN.matcher(cell);
        return code.lookingAt() ? Optional.of(code.group(1)) : Optional.empty();
    }

    private static List<String> cells(String row) {
        List<String> cells = new ArrayList<>();
        for (String cell : row.trim().replaceAll("^\\||\\|$", "").split("(?<!\\\\)\\|", -1)) {
            cells.add(cell.trim().replace("\\|", "|"));
        }
        return cells;
    }

    private static boolean isRow(String line) {
        return line.trim().startsWith("|");
    }

    private static boolean isHeading(String line) {
        return line.startsWith("#");
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
