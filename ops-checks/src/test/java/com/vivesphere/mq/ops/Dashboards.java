package com.vivesphere.mq.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

/** The Grafana dashboards in grafana/dashboards: their panels' queries and their template variables. */
final class Dashboards {

    static final String DIRECTORY = "grafana/dashboards";

    /** One query of one panel. */
    record Query(String dashboard, String panel, String refId, String expr) {

        @Override
        public String toString() {
            return dashboard + " / " + (panel.isBlank() ? "(untitled)" : panel) + " / " + refId;
        }
    }

    /** One template variable, in dashboard order (later ones may use earlier ones). */
    record Variable(String name, String type, String query, boolean includeAll, String allValue, boolean multi) {
    }

    record Dashboard(String file, JsonNode json) {

        String title() {
            return json.path("title").asText();
        }

        /** Every PromQL query of every panel, rows' nested panels included. */
        List<Query> queries() {
            List<Query> queries = new ArrayList<>();
            collect(json.path("panels"), "expr", queries);
            return queries;
        }

        /** Every SQL query (a target's rawSql) of every panel, rows' nested panels included. */
        List<Query> sqlQueries() {
            List<Query> queries = new ArrayList<>();
            collect(json.path("panels"), "rawSql", queries);
            return queries;
        }

        /** The length of the dashboard's default time range ("now-6h" to now); an hour if it is not relative. */
        Duration defaultRange() {
            Matcher relative = Pattern.compile("now-(\\d+)([smhd])").matcher(json.path("time").path("from").asText("now-6h"));
            if (!relative.matches()) {
                return Duration.ofHours(1);
            }
            long amount = Long.parseLong(relative.group(1));
            return switch (relative.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }

        List<JsonNode> panels() {
            List<JsonNode> panels = new ArrayList<>();
            json.path("panels").forEach(panel -> {
                panels.add(panel);
                panel.path("panels").forEach(panels::add);
            });
            return panels;
        }

        private void collect(JsonNode panels, String field, List<Query> into) {
            for (JsonNode panel : panels) {
                for (JsonNode target : panel.path("targets")) {
                    if (target.hasNonNull(field)) {
                        into.add(new Query(title(), panel.path("title").asText(), target.path("refId").asText(),
                                target.path(field).asText()));
                    }
                }
                collect(panel.path("panels"), field, into);
            }
        }

        List<Variable> variables() {
            List<Variable> variables = new ArrayList<>();
            for (JsonNode variable : json.path("templating").path("list")) {
                JsonNode query = variable.path("query");
                String text = query.isObject() ? query.path("query").asText() : query.asText();
                variables.add(new Variable(variable.path("name").asText(), variable.path("type").asText(), text,
                        variable.path("includeAll").asBoolean(false), variable.path("allValue").asText(null),
                        variable.path("multi").asBoolean(false)));
            }
            return variables;
        }
    }

    private Dashboards() {
    }

    static List<Dashboard> all() {
        try (Stream<Path> files = Files.list(Repo.path(DIRECTORY))) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted()
                    .map(f -> new Dashboard(f.getFileName().toString(), Repo.json(DIRECTORY + "/" + f.getFileName())))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A variable reference: ${name} or ${name:format} (groups 1, 2), [[name]] (3), $name (4). */
    static final Pattern REFERENCE = Pattern.compile("\\$\\{(\\w+)(?::(\\w+))?}|\\[\\[(\\w+)]]|\\$(\\w+)");

    /**
     * Replaces Grafana variable references ($name, ${name}, ${name:format}, [[name]]) by their values. A reference to
     * a name without a value is an error: the dashboard would show it unresolved.
     */
    static String interpolate(String text, Map<String, String> values) {
        Matcher reference = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (reference.find()) {
            String name = reference.group(1) != null ? reference.group(1)
                    : reference.group(3) != null ? reference.group(3) : reference.group(4);
            String value = values.get(name);
            if (value == null) {
                throw new IllegalArgumentException("no value for variable $" + name + " in: " + text);
            }
            reference.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        reference.appendTail(out);
        return out.toString();
    }
}
