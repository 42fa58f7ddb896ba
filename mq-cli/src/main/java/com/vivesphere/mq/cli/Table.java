package com.vivesphere.mq.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain-text table: a header row, columns as wide as their widest cell (cut at {@code maxWidth}). */
public final class Table {

    private final List<String[]> rows = new ArrayList<>();
    private final int columns;
    private final int maxWidth;

    public Table(int maxWidth, String... header) {
        this.columns = header.length;
        this.maxWidth = maxWidth;
        rows.add(header);
    }

    public Table row(Object... cells) {
        String[] row = new String[columns];
        for (int i = 0; i < columns; i++) {
            String cell = i < cells.length && cells[i] != null ? String.valueOf(cells[i]) : "-";
            row[i] = cell.length() > maxWidth ? cell.substring(0, maxWidth - 1) + "…" : cell;
        }
        rows.add(row);
        return this;
    }

    public int size() {
        return rows.size() - 1;
    }

    public void print(PrintWriter out) {
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(row[i]);
                if (i < columns - 1) {
                    line.append(" ".repeat(widths[i] - row[i].length() + 2));
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }

    /** {@code 3d4h}, {@code 5m12s}, {@code 42s}; {@code -} when unknown. */
    public static String age(java.time.Duration age) {
        if (age == null) {
            return "-";
        }
        long s = Math.max(0, age.getSeconds());
        if (s >= 86_400) {
            return s / 86_400 + "d" + (s % 86_400) / 3_600 + "h";
        }
        if (s >= 3_600) {
            return s / 3_600 + "h" + (s % 3_600) / 60 + "m";
        }
        if (s >= 60) {
            return s / 60 + "m" + s % 60 + "s";
        }
        return s + "s";
    }
}
