package com.vivesphere.mq.common.topology;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Renders a {@link Topology} as RabbitMQ Messaging Topology Operator resources ({@code rabbitmq.com/v1beta1}
 * Exchange, Queue, Binding) plus the workers' User and Permission, for {@code deploy/kubernetes}. The same
 * topology {@link DefinitionsExport} renders as definitions.json: both files come from {@link Topology#standard}.
 *
 * <p>
 * The code's topology has no policies: every setting is a queue argument, so there is no Policy resource (a
 * policy beside the arguments would be a second owner of the same settings). The User's credentials come from
 * a Secret ({@value #USER_SECRET}) that the repository never holds.
 */
public final class TopologyResources {

    public static final String API_VERSION = "rabbitmq.com/v1beta1";
    /** The RabbitmqCluster the resources belong to (deploy/kubernetes/base/rabbitmq). */
    public static final String CLUSTER = "vivesphere-rabbitmq";
    /** The workers' broker user: keys {@code username} and {@code password} (and {@code host} for KEDA). */
    public static final String USER_SECRET = "vivesphere-rabbitmq-user";
    public static final String USER = "vivesphere-workers";
    public static final Path FILE = Path.of("deploy", "kubernetes", "base", "rabbitmq",
            "topology.generated.yaml");

    private TopologyResources() {
    }

    /** The resources, in the order exchanges, queues, bindings, user, permission. */
    public static List<Map<String, Object>> resources(Topology topology, String vhost) {
        List<Map<String, Object>> resources = new ArrayList<>();
        for (Topology.Exchange exchange : topology.exchanges()) {
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("name", exchange.name());
            spec.put("vhost", vhost);
            spec.put("type", exchange.type());
            spec.put("durable", true);
            spec.put("autoDelete", false);
            resources.add(resource("Exchange", "exchange-" + dnsName(exchange.name()), spec));
        }
        for (Topology.Queue queue : topology.queues()) {
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("name", queue.name());
            spec.put("vhost", vhost);
            spec.put("type", queue.arguments().get(Topology.ARG_QUEUE_TYPE));
            spec.put("durable", true);
            spec.put("autoDelete", false);
            spec.put("arguments", new TreeMap<>(queue.arguments()));
            resources.add(resource("Queue", "queue-" + dnsName(queue.name()), spec));
        }
        Map<String, Integer> perPair = new HashMap<>();
        for (Topology.Binding binding : topology.bindings()) {
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("vhost", vhost);
            spec.put("source", binding.source());
            spec.put("destination", binding.destination());
            spec.put("destinationType", binding.toExchange() ? "exchange" : "queue");
            spec.put("routingKey", binding.routingKey());
            // Several bindings can join the same pair (one per routing key): numbered in the topology's order.
            String pair = dnsName(binding.source()) + "-to-" + dnsName(binding.destination());
            int n = perPair.merge(pair, 1, Integer::sum);
            resources.add(resource("Binding", "binding-" + pair + "-" + n, spec));
        }
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("tags", List.of());
        user.put("importCredentialsSecret", Map.of("name", USER_SECRET));
        resources.add(resource("User", USER, user));

        // The workers declare the whole topology at start, publish to its exchanges and consume its queues: the
        // same names for configure, write and read, and nothing else.
        String names = "^(" + Stream.concat(topology.exchanges().stream().map(Topology.Exchange::name),
                topology.queues().stream().map(Topology.Queue::name)).distinct().map(TopologyResources::literalInRegex)
                .collect(Collectors.joining("|")) + ")$";
        Map<String, Object> permissions = new LinkedHashMap<>();
        permissions.put("configure", names);
        permissions.put("write", names);
        permissions.put("read", names);
        Map<String, Object> permission = new LinkedHashMap<>();
        permission.put("vhost", vhost);
        permission.put("userReference", Map.of("name", USER));
        permission.put("permissions", permissions);
        resources.add(resource("Permission", USER + "-permission", permission));
        return resources;
    }

    /** The resources of vhost "/" as one YAML stream, headed by a line that says where they come from. */
    public static String render(Topology topology) {
        return render(topology, DefinitionsExport.VHOST);
    }

    public static String render(Topology topology, String vhost) {
        StringBuilder out = new StringBuilder("# Generated from com.vivesphere.mq.common.topology.Topology by DefinitionsExport"
                + " (docs/kubernetes.md#topology): do not edit.\n");
        for (Map<String, Object> resource : resources(topology, vhost)) {
            out.append("---\n");
            Yaml.write(resource, 0, out);
        }
        return out.toString();
    }

    private static Map<String, Object> resource(String kind, String name, Map<String, Object> spec) {
        spec.put("rabbitmqClusterReference", Map.of("name", CLUSTER));
        Map<String, Object> resource = new LinkedHashMap<>();
        resource.put("apiVersion", API_VERSION);
        resource.put("kind", kind);
        resource.put("metadata", Map.of("name", name));
        resource.put("spec", spec);
        return resource;
    }

    /** A RabbitMQ name as a Kubernetes object name (lower case, digits and '-'). */
    static String dnsName(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }

    /** The topology's names are letters, digits and '_', each its own literal in a regular expression. */
    private static String literalInRegex(String name) {
        if (!name.matches("[A-Za-z0-9_]+")) {
            throw new IllegalStateException("topology name " + name + " needs escaping in a permission regex");
        }
        return name;
    }

    /** Block-style YAML of maps, lists, strings, numbers and booleans; strings double-quoted (JSON escapes). */
    static final class Yaml {

        private Yaml() {
        }

        static void write(Map<?, ?> map, int indent, StringBuilder out) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                out.append(" ".repeat(indent)).append(entry.getKey()).append(':');
                value(entry.getValue(), indent, out);
            }
        }

        private static void value(Object value, int indent, StringBuilder out) {
            if (value instanceof Map<?, ?> map && !map.isEmpty()) {
                out.append('\n');
                // insertion order where the code chose one; otherwise sorted, so the output never depends on hashing
                write(map instanceof LinkedHashMap || map instanceof TreeMap ? map : new TreeMap<>(map), indent + 2, out);
            } else if (value instanceof List<?> list && !list.isEmpty()) {
                out.append('\n');
                for (Object item : list) {
                    out.append(" ".repeat(indent + 2)).append('-');
                    value(item, indent + 2, out);
                }
            } else {
                out.append(' ').append(scalar(value)).append('\n');
            }
        }

        private static String scalar(Object value) {
            if (value instanceof Map<?, ?>) {
                return "{}";
            }
            if (value instanceof List<?>) {
                return "[]";
            }
            if (value instanceof Number || value instanceof Boolean) {
                return value.toString();
            }
            StringBuilder quoted = new StringBuilder("\"");
            for (char c : String.valueOf(value).toCharArray()) {
                switch (c) {
                    case '"' -> quoted.append("\\\"");
                    case '\\' -> quoted.append("\\\\");
                    default -> quoted.append(c);
                }
            }
            return quoted.append('"').toString();
        }
    }
}
