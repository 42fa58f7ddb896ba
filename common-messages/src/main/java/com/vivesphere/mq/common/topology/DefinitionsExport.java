package com.vivesphere.mq.common.topology;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Renders a {@link Topology} as a RabbitMQ definitions document (the format of {@code load_definitions} and
 * of the management API's {@code /api/definitions}). It holds no users or permissions: credentials come
 * from the environment of the broker, never from the repository.
 *
 * <p>
 * {@code main} rewrites {@code infrastructure/message_queue/definitions.json} (the default topology) and
 * {@code infrastructure/message_queue/sharded/definitions.json} (the same with {@value #EXAMPLE_SHARDS} shards of
 * {@code log_queue}, for a three-node cluster), and {@code deploy/kubernetes/base/rabbitmq/topology.generated.yaml}, the
 * same topology as Messaging Topology Operator resources ({@link TopologyResources}); a test fails when a
 * committed file and the code differ.
 */
public final class DefinitionsExport {

    public static final String VHOST = "/";
    public static final Path DEFAULT_FILE = Path.of("infrastructure", "message_queue", "definitions.json");
    public static final Path SHARDED_FILE = Path.of("infrastructure", "message_queue", "sharded", "definitions.json");
    public static final int EXAMPLE_SHARDS = 3;

    private DefinitionsExport() {
    }

    public static Map<String, Object> definitions(Topology topology, String vhost) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("vhosts", List.of(Map.of("name", vhost)));
        doc.put("exchanges", topology.exchanges().stream().map(e -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", e.name());
            m.put("vhost", vhost);
            m.put("type", e.type());
            m.put("durable", true);
            m.put("auto_delete", false);
            m.put("internal", false);
            m.put("arguments", Map.of());
            return m;
        }).toList());
        doc.put("queues", topology.queues().stream().map(q -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", q.name());
            m.put("vhost", vhost);
            m.put("durable", true);
            m.put("auto_delete", false);
            m.put("arguments", new TreeMap<>(q.arguments()));
            return m;
        }).toList());
        doc.put("bindings", topology.bindings().stream().map(b -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("source", b.source());
            m.put("vhost", vhost);
            m.put("destination", b.destination());
            m.put("destination_type", b.toExchange() ? "exchange" : "queue");
            m.put("routing_key", b.routingKey());
            m.put("arguments", Map.of());
            return m;
        }).toList());
        return doc;
    }

    public static String render(Topology topology) {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter().withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE);
        try {
            return new ObjectMapper().writer(printer).writeValueAsString(definitions(topology, VHOST)).replace("\r\n", "\n") + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes both definitions files and the Kubernetes resources; the argument is the repository's root (default: the working directory). */
    public static void main(String[] args) throws IOException {
        Path root = args.length > 0 ? Path.of(args[0]) : Path.of("");
        write(root.resolve(DEFAULT_FILE), TopologySettings.DEFAULTS);
        write(root.resolve(SHARDED_FILE), TopologySettings.DEFAULTS.withLogShards(EXAMPLE_SHARDS));
        write(root.resolve(TopologyResources.FILE), TopologyResources.render(Topology.standard(TopologySettings.DEFAULTS)));
    }

    private static void write(Path file, TopologySettings settings) throws IOException {
        write(file, render(Topology.standard(settings)));
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, content);
        System.out.println("wrote " + file.toAbsolutePath());
    }
}
