package com.vivesphere.mq.ops;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A panel's raw SQL turned into the statement Grafana's PostgreSQL data source runs: template variables first (as
 * Grafana's front end interpolates them for this data source), then the data source's macros (as its back end
 * expands them). It covers exactly what grafana/dashboards uses; any other macro or variable format is an error, so
 * a dashboard cannot use one that this check would expand differently from Grafana.
 *
 * <ul>
 * <li>{@code $name}, {@code ${name}}, {@code [[name]]}: a multi-value or "All" variable as its values quoted and
 * comma-separated ({@code 'a','b'}, {@code '} doubled), any other as its value unquoted;</li>
 * <li>{@code ${name:sqlstring}}: every value quoted, comma-separated;</li>
 * <li>{@code $__interval}: the panel's interval ({@link #interval});</li>
 * <li>{@code $__timeFilter(col)}: {@code col BETWEEN 'from' AND 'to'} (RFC 3339, UTC);</li>
 * <li>{@code $__timeFrom()}, {@code $__timeTo()}: {@code 'from'}, {@code 'to'};</li>
 * <li>{@code $__timeGroup(col, interval)}: {@code floor(extract(epoch from col)/s)*s}, and
 * {@code $__timeGroupAlias} the same {@code AS "time"} (no fill argument).</li>
 * </ul>
 */
final class GrafanaSql {

    /**
     * A variable's current values, and whether Grafana quotes them by default (multi-value or "All" variables; not a
     * custom all value, which Grafana inserts as it is: {@link #single}).
     */
    record Value(List<String> values, boolean quoted) {

        static Value single(String value) {
            return new Value(List.of(value), false);
        }
    }

    private static final Pattern MACRO = Pattern.compile("\\$(__\\w+)\\(([^)]*)\\)");
    private static final Pattern ANY_MACRO = Pattern.compile("\\$__\\w+");
    private static final DateTimeFormatter RFC_3339 = DateTimeFormatter.ISO_INSTANT;
    /** Grafana's rounding of range / max data points to a readable interval (rangeutil.roundInterval). */
    private static final long[][] ROUNDING = {
            { 10, 1 }, { 15, 10 }, { 35, 20 }, { 75, 50 }, { 150, 100 }, { 350, 200 }, { 750, 500 }, { 1_500, 1_000 },
            { 3_500, 2_000 }, { 7_500, 5_000 }, { 12_500, 10_000 }, { 17_500, 15_000 }, { 25_000, 20_000 },
            { 45_000, 30_000 }, { 90_000, 60_000 }, { 210_000, 120_000 }, { 450_000, 300_000 }, { 780_000, 600_000 },
            { 1_350_000, 900_000 }, { 2_700_000, 1_800_000 }, { 5_400_000, 3_600_000 }, { 9_000_000, 7_200_000 },
            { 16_200_000, 10_800_000 }, { 24_300_000, 21_600_000 }, { 64_800_000, 43_200_000 },
            { Long.MAX_VALUE, 86_400_000 } };

    private GrafanaSql() {
    }

    /**
     * The interval Grafana gives a panel: the range over its max data points, rounded, but never below the data
     * source's minimum ({@code jsonData.timeInterval}).
     */
    static Duration interval(Duration range, int maxDataPoints, Duration minimum) {
        long raw = range.toMillis() / maxDataPoints;
        long rounded = 0;
        for (long[] step : ROUNDING) {
            if (raw <= step[0]) {
                rounded = step[1];
                break;
            }
        }
        return Duration.ofMillis(Math.max(rounded, minimum.toMillis()));
    }

    /** "1m", "30s", "2h" as Grafana writes intervals; milliseconds below a second. */
    static String format(Duration interval) {
        long seconds = interval.toSeconds();
        if (interval.toMillis() % 1000 != 0) {
            return interval.toMillis() + "ms";
        }
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3_600 == 0) {
            return seconds / 3_600 + "h";
        }
        return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }

    static Duration parse(String interval) {
        Matcher parts = Pattern.compile("(\\d+)(ms|s|m|h|d)").matcher(interval.strip());
        if (!parts.matches()) {
            throw new IllegalArgumentException("not an interval: " + interval);
        }
        long amount = Long.parseLong(parts.group(1));
        return switch (parts.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    /** The statement Grafana runs for {@code sql} over [from, to] with these variable values and interval. */
    static String expand(String sql, Map<String, Value> variables, Instant from, Instant to, Duration interval) {
        return macros(variables(sql, variables, interval), from, to);
    }

    private static String variables(String sql, Map<String, Value> variables, Duration interval) {
        Matcher reference = Dashboards.REFERENCE.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (reference.find()) {
            String name = reference.group(1) != null ? reference.group(1)
                    : reference.group(3) != null ? reference.group(3) : reference.group(4);
            String format = reference.group(2);
            String replacement;
            if (name.equals("__interval") && format == null) {
                replacement = format(interval);
            } else if (name.startsWith("__") && reference.group(4) != null && !variables.containsKey(name)) {
                replacement = reference.group(); // a macro: the data source's back end expands it below
            } else {
                Value value = variables.get(name);
                if (value == null) {
                    throw new IllegalArgumentException("no value for variable $" + name + " in: " + sql);
                }
                replacement = formatted(name, value, format);
            }
            reference.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        reference.appendTail(out);
        return out.toString();
    }

    private static String formatted(String name, Value value, String format) {
        if (format == null) {
            if (value.quoted()) {
                return quoted(value.values());
            }
            if (value.values().size() != 1) {
                throw new IllegalArgumentException("$" + name + " is neither multi-value nor All but has " + value.values());
            }
            return value.values().get(0);
        }
        if (format.equals("sqlstring")) {
            return quoted(value.values());
        }
        throw new IllegalArgumentException("variable format " + format + " (${" + name + ":" + format + "}) is not"
                + " covered by this check");
    }

    private static String quoted(List<String> values) {
        return String.join(",", values.stream().map(v -> "'" + v.replace("'", "''") + "'").toList());
    }

    private static String macros(String sql, Instant from, Instant to) {
        Matcher macro = MACRO.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (macro.find()) {
            List<String> args = macro.group(2).isBlank() ? List.of()
                    : List.of(macro.group(2).split(",")).stream().map(String::strip).toList();
            macro.appendReplacement(out, Matcher.quoteReplacement(macro(macro.group(1), args, from, to)));
        }
        macro.appendTail(out);
        Matcher unknown = ANY_MACRO.matcher(out);
        if (unknown.find()) {
            throw new IllegalArgumentException("macro " + unknown.group() + " is not covered by this check: " + sql);
        }
        return out.toString();
    }

    private static String macro(String name, List<String> args, Instant from, Instant to) {
        return switch (name) {
            case "__timeFilter" -> arguments(name, args, 1).get(0) + " BETWEEN " + literal(from) + " AND " + literal(to);
            case "__timeFrom" -> arguments(name, args, 0).isEmpty() ? literal(from) : "";
            case "__timeTo" -> arguments(name, args, 0).isEmpty() ? literal(to) : "";
            case "__timeGroup" -> timeGroup(arguments(name, args, 2));
            case "__timeGroupAlias" -> timeGroup(arguments(name, args, 2)) + " AS \"time\"";
            default -> throw new IllegalArgumentException("macro $" + name + " is not covered by this check");
        };
    }

    private static List<String> arguments(String macro, List<String> args, int count) {
        if (args.size() != count) {
            throw new IllegalArgumentException("$" + macro + " takes " + count + " argument(s) here, not " + args);
        }
        return args;
    }

    private static String timeGroup(List<String> args) {
        long seconds = parse(args.get(1).replace("'", "")).toSeconds();
        return "floor(extract(epoch from " + args.get(0) + ")/" + seconds + ")*" + seconds;
    }

    private static String literal(Instant instant) {
        return "'" + RFC_3339.format(instant) + "'";
    }
}
