package com.vivesphere.mq.ops;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.TextNode;

/** infrastructure/prometheus/prometheus.yml, the configuration of docker-compose.yml's Prometheus. */
final class PrometheusConfig {

    static final String FILE = "infrastructure/prometheus/prometheus.yml";

    private PrometheusConfig() {
    }

    static JsonNode read() {
        return Repo.yaml(FILE);
    }

    /** Every target address of every scrape job ("host:port"). */
    static Set<String> targets(JsonNode config) {
        Set<String> targets = new TreeSet<>();
        for (JsonNode job : config.path("scrape_configs")) {
            for (JsonNode staticConfig : job.path("static_configs")) {
                staticConfig.path("targets").forEach(t -> targets.add(t.asText()));
            }
        }
        return targets;
    }

    /** How many targets Prometheus scrapes (a target of two jobs counts twice). */
    static int targetCount(JsonNode config) {
        int count = 0;
        for (JsonNode job : config.path("scrape_configs")) {
            for (JsonNode staticConfig : job.path("static_configs")) {
                count += staticConfig.path("targets").size();
            }
        }
        return count;
    }

    static Duration scrapeInterval(JsonNode config) {
        String interval = config.path("global").path("scrape_interval").asText("1m");
        long amount = Long.parseLong(interval.replaceAll("\\D", ""));
        return interval.endsWith("ms") ? Duration.ofMillis(amount) : interval.endsWith("s") ? Duration.ofSeconds(amount)
                : interval.endsWith("m") ? Duration.ofMinutes(amount) : Duration.ofHours(amount);
    }

    /**
     * The configuration with each target address replaced as {@code addresses} says (every target must be in the
     * map) and nothing else changed, written to {@code file}.
     */
    static Path withTargets(Map<String, String> addresses, Path file) throws IOException {
        JsonNode original = read();
        JsonNode rewritten = replaceTargets(original.deepCopy(), addresses);
        Map<String, String> back = new java.util.HashMap<>();
        addresses.forEach((from, to) -> back.put(to, from));
        if (!replaceTargets(rewritten.deepCopy(), back).equals(original)) {
            throw new IllegalStateException("rewriting the targets changed more than the targets");
        }
        Repo.YAML.writeValue(file.toFile(), rewritten);
        return file;
    }

    private static JsonNode replaceTargets(JsonNode config, Map<String, String> addresses) {
        for (JsonNode job : config.path("scrape_configs")) {
            for (JsonNode staticConfig : job.path("static_configs")) {
                ArrayNode targets = (ArrayNode) staticConfig.path("targets");
                for (int i = 0; i < targets.size(); i++) {
                    String address = addresses.get(targets.get(i).asText());
                    if (address == null) {
                        throw new IllegalArgumentException("no local address for target " + targets.get(i).asText());
                    }
                    targets.set(i, TextNode.valueOf(address));
                }
            }
        }
        return config;
    }
}
