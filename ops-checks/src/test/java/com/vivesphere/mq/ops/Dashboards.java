package com.vivesphere.mq.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

        /** Every query of every panel, rows' nested panels included. */
        List<Query> queries() {
            List<Query> queries = new ArrayList<>();
            collect(json.path("panels"), queries);
            return queries;
        }

        List<JsonNode> panels() {
            List<JsonNode> panels = new ArrayList<>();
            json.path("panels").forEach(panel -> {
                panels.add(panel);
                panel.path("panels").forEach(panels::add);
            });
            return panels;
        }

        private void collect(JsonNode panels, List<Query> into) {
            for (JsonNode panel : panels) {
                for (JsonNode target : panel.path("targets")) {
                    if (target.hasNonNull("expr")) {
                        into.add(new Query(title(), panel.path("title").asText(), target.path("refId").asText(),
                                target.path("expr").asText()));
                    }
                }
                collect(panel.path("panels"), into);
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

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(\\w+)(?::(\\w+))?}|\\[\\[(\\w+)]]|\\$(\\w+)");

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
