package com.vivesphere.mq.cli.topology;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.vivesphere.mq.common.topology.Topology;

/**
 * Every difference between the code's {@link Topology} and what a vhost holds, as the management API
 * describes it: missing or different exchanges and queues (type, flags, each argument), missing bindings,
 * and bindings that touch the topology's exchanges or queues without being part of it.
 */
public final class TopologyDiff {

    /** One difference; {@code object} is e.g. {@code queue log_queue}. */
    public record Difference(String object, String detail) {
        @Override
        public String toString() {
            return object + ": " + detail;
        }
    }

    private TopologyDiff() {
    }

    public static List<Difference> compare(Topology expected, JsonNode exchanges, JsonNode queues, JsonNode bindings) {
        List<Difference> differences = new ArrayList<>();
        compareExchanges(expected, byName(exchanges), differences);
        compareQueues(expected, byName(queues), differences);
        compareBindings(expected, bindings, differences);
        return differences;
    }

    private static Map<String, JsonNode> byName(JsonNode array) {
        Map<String, JsonNode> map = new HashMap<>();
        array.forEach(node -> map.put(node.path("name").asText(), node));
        return map;
    }

    private static void compareExchanges(Topology expected, Map<String, JsonNode> actual, List<Difference> out) {
        for (Topology.Exchange exchange : expected.exchanges()) {
            String object = "exchange " + exchange.name();
            JsonNode node = actual.get(exchange.name());
            if (node == null) {
                out.add(new Difference(object, "missing (expected a durable " + exchange.type() + " exchange)"));
                continue;
            }
            if (!exchange.type().equals(node.path("type").asText())) {
                out.add(new Difference(object, "type is " + node.path("type").asText() + ", expected " + exchange.type()));
            }
            flag(object, node, "durable", true, out);
            flag(object, node, "auto_delete", false, out);
            flag(object, node, "internal", false, out);
            compareArguments(object, Map.of(), node.path("arguments"), out);
        }
    }

    private static void compareQueues(Topology expected, Map<String, JsonNode> actual, List<Difference> out) {
        for (Topology.Queue queue : expected.queues()) {
            String object = "queue " + queue.name();
            JsonNode node = actual.get(queue.name());
            Map<String, Object> arguments = new HashMap<>(queue.arguments());
            Object type = arguments.remove(Topology.ARG_QUEUE_TYPE);
            if (node == null) {
                out.add(new Difference(object, "missing (expected a durable " + type + " queue)"));
                continue;
            }
            String actualType = node.path("type").asText("classic");
            if (type != null && !type.equals(actualType)) {
                out.add(new Difference(object, "type is " + actualType + ", expected " + type));
            }
            flag(object, node, "durable", true, out);
            flag(object, node, "auto_delete", false, out);
            flag(object, node, "exclusive", false, out);
            JsonNode actualArguments = node.path("arguments").deepCopy();
            if (actualArguments.isObject()) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) actualArguments).remove(Topology.ARG_QUEUE_TYPE);
            }
            compareArguments(object, arguments, actualArguments, out);
        }
    }

    private static void flag(String object, JsonNode node, String field, boolean expected, List<Difference> out) {
        if (node.has(field) && node.path(field).asBoolean() != expected) {
            out.add(new Difference(object, field + " is " + !expected + ", expected " + expected));
        }
    }

    private static void compareArguments(String object, Map<String, Object> expected, JsonNode actual, List<Difference> out) {
        Set<String> names = new TreeSet<>(expected.keySet());
        actual.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            Object want = expected.get(name);
            JsonNode have = actual.get(name);
            if (want == null) {
                out.add(new Difference(object, "argument " + name + " is " + have + ", expected none"));
            } else if (have == null || have.isNull()) {
                out.add(new Difference(object, "argument " + name + " missing, expected " + render(want)));
            } else if (!sameValue(want, have)) {
                out.add(new Difference(object, "argument " + name + " is " + have + ", expected " + render(want)));
            }
        }
    }

    private static boolean sameValue(Object want, JsonNode have) {
        if (want instanceof Number number) {
            return have.isIntegralNumber() && have.asLong() == number.longValue();
        }
        return have.isTextual() && have.asText().equals(String.valueOf(want));
    }

    private static String render(Object value) {
        return value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
    }

    private record Route(String source, String destination, String destinationType, String routingKey) {
        @Override
        public String toString() {
            return source + " -> " + destinationType + " " + destination + " [" + routingKey + "]";
        }
    }

    private static void compareBindings(Topology expected, JsonNode bindings, List<Difference> out) {
        Set<Route> want = new LinkedHashSet<>();
        for (Topology.Binding b : expected.bindings()) {
            want.add(new Route(b.source(), b.destination(), b.toExchange() ? "exchange" : "queue", b.routingKey()));
        }
        Set<Route> have = new LinkedHashSet<>();
        bindings.forEach(node -> have.add(new Route(node.path("source").asText(), node.path("destination").asText(),
                node.path("destination_type").asText(), node.path("routing_key").asText())));
        for (Route route : want) {
            if (!have.contains(route)) {
                out.add(new Difference("binding " + route, "missing"));
            }
        }
        Set<String> ours = new java.util.HashSet<>();
        expected.exchanges().forEach(e -> ours.add(e.name()));
        expected.queues().forEach(q -> ours.add(q.name()));
        for (Route route : have) {
            boolean defaultExchange = route.source().isEmpty();
            boolean touchesOurs = ours.contains(route.source()) || ours.contains(route.destination());
            if (!defaultExchange && touchesOurs && !want.contains(route)) {
                out.add(new Difference("binding " + route, "not in the topology (routes messages the code does not expect)"));
            }
        }
    }

    /** Exchanges, queues and bindings the topology defines, for a summary line. */
    public static String size(Topology topology) {
        return topology.exchanges().size() + " exchanges, " + topology.queues().size() + " queues, "
                + topology.bindings().size() + " bindings";
    }
}
