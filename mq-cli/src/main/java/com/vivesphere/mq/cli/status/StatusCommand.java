package com.vivesphere.mq.cli.status;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.vivesphere.mq.cli.BrokerCommand;
import com.vivesphere.mq.cli.BrokerOptions;
import com.vivesphere.mq.cli.CliException;
import com.vivesphere.mq.cli.ExitCodes;
import com.vivesphere.mq.cli.ManagementApi;
import com.vivesphere.mq.cli.Table;
import com.vivesphere.mq.common.topology.DelayLevels;
import com.vivesphere.mq.common.topology.Topology;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = { "Queues with depth, consumers and rates; connection health.", "Connection health and the vhost's queues: depth (ready, unacknowledged), consumers, and "
                + "message rates (in, out, acked per second, from the management API). The 22 delay levels are summed "
                + "in one line. Exit 0 when the broker and its management API answer; without the management API the "
                + "depths and consumers of the topology's queues are still shown (over AMQP), exit 3." },
        footer = { "", "Examples:", "  mqctl status", "  mqctl status --vhost staging --json", "", ExitCodes.HELP_SECTION })
public class StatusCommand extends BrokerCommand {

    private static final String DELAY_PREFIX = "delay_level_";

    @Mixin
    BrokerOptions broker;

    @Option(names = "--json", description = "JSON instead of text.")
    boolean json;

    /** Written as JSON by Jackson: registered for a native executable. */
    @io.quarkus.runtime.annotations.RegisterForReflection
    record QueueRow(String name, String type, long ready, long unacked, long consumers, Double in, Double out, Double acked) {
    }

    @Override
    protected String where() {
        return broker.describe();
    }

    @Override
    protected int execute() throws Exception {
        Map<String, Object> doc = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        long start = System.nanoTime();
        try (Connection connection = broker.connect("status")) {
            long millis = (System.nanoTime() - start) / 1_000_000;
            Object version = connection.getServerProperties().get("version");
            doc.put("broker", broker.describe());
            doc.put("version", String.valueOf(version));
            doc.put("amqp", "connected in " + millis + " ms");
            List<QueueRow> rows;
            int exitCode = ExitCodes.OK;
            ManagementApi api = broker.management();
            try {
                JsonNode queues = api.queues();
                rows = fromManagement(queues);
                doc.put("management", "ok (" + api.base() + ")");
                Map<String, Long> clients = new TreeMap<>();
                api.connections().forEach(c -> clients.merge(
                        c.path("client_properties").path("connection_name").asText("(unnamed)"), 1L, Long::sum));
                doc.put("connections", clients);
            } catch (CliException e) {
                rows = fromAmqp(connection);
                doc.put("management", "unavailable: " + e.getMessage());
                warnings.add("no rates and no connection list: " + e.getMessage());
                exitCode = e.exitCode();
            }
            rows = summarizeDelayLevels(rows);
            warnings.addAll(checks(rows));
            doc.put("queues", rows);
            doc.put("warnings", warnings);
            print(doc, rows, warnings);
            return exitCode;
        }
    }

    private static List<QueueRow> fromManagement(JsonNode queues) {
        List<QueueRow> rows = new ArrayList<>();
        for (JsonNode q : queues) {
            JsonNode stats = q.path("message_stats");
            rows.add(new QueueRow(q.path("name").asText(), q.path("type").asText("classic"), q.path("messages_ready").asLong(),
                    q.path("messages_unacknowledged").asLong(), q.path("consumers").asLong(),
                    rate(stats, "publish_details"), rate(stats, "deliver_get_details"), rate(stats, "ack_details")));
        }
        return rows;
    }

    private static Double rate(JsonNode stats, String field) {
        JsonNode rate = stats.path(field).path("rate");
        return rate.isNumber() ? rate.asDouble() : 0.0;
    }

    /** Without the management API: the topology's queues as a passive declare sees them (ready and consumers). */
    private List<QueueRow> fromAmqp(Connection connection) throws IOException {
        List<QueueRow> rows = new ArrayList<>();
        List<String> names = new ArrayList<>(Topology.DELAYABLE_QUEUES);
        names.add(Topology.DEAD_LETTER_QUEUE);
        for (int n = DelayLevels.LEVELS - 1; n >= 0; n--) {
            names.add(DelayLevels.level(n));
        }
        for (String name : names) {
            try (Channel channel = connection.createChannel()) {
                AMQP.Queue.DeclareOk ok = channel.queueDeclarePassive(name);
                rows.add(new QueueRow(name, "?", ok.getMessageCount(), 0, ok.getConsumerCount(), null, null, null));
            } catch (IOException | java.util.concurrent.TimeoutException e) {
                rows.add(new QueueRow(name + " (missing)", "-", 0, 0, 0, null, null, null));
            }
        }
        return rows;
    }

    private static List<QueueRow> summarizeDelayLevels(List<QueueRow> rows) {
        List<QueueRow> result = new ArrayList<>();
        long ready = 0;
        long unacked = 0;
        int levels = 0;
        String type = "-";
        for (QueueRow row : rows) {
            if (row.name().startsWith(DELAY_PREFIX) && !row.name().endsWith("(missing)")) {
                levels++;
                ready += row.ready();
                unacked += row.unacked();
                type = row.type();
            } else {
                result.add(row);
            }
        }
        if (levels > 0) {
            result.add(new QueueRow("delay levels (" + levels + ")", type, ready, unacked, 0, null, null, null));
        }
        return result;
    }

    private static List<String> checks(List<QueueRow> rows) {
        List<String> warnings = new ArrayList<>();
        for (QueueRow row : rows) {
            if (row.name().endsWith("(missing)")) {
                warnings.add("queue " + row.name() + ": run 'mqctl topology verify'");
            } else if (Topology.isDelayable(row.name()) && row.consumers() == 0) {
                warnings.add(row.name() + " has no consumer (is its worker running?)");
            } else if (Topology.DEAD_LETTER_QUEUE.equals(row.name()) && row.ready() > 0) {
                warnings.add(row.name() + " holds " + row.ready() + " dead letter(s): 'mqctl dlq stats'");
            }
        }
        return warnings;
    }

    private void print(Map<String, Object> doc, List<QueueRow> rows, List<String> warnings) throws IOException {
        if (json) {
            out().println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
            return;
        }
        out().println("broker      RabbitMQ " + doc.get("version") + " at " + doc.get("broker"));
        out().println("amqp        " + doc.get("amqp"));
        out().println("management  " + doc.get("management"));
        if (doc.get("connections") instanceof Map<?, ?> clients) {
            out().println("clients     " + (clients.isEmpty() ? "none"
                    : clients.entrySet().stream().map(e -> e.getKey() + (((Long) e.getValue()) > 1 ? " ×" + e.getValue() : ""))
                            .reduce((a, b) -> a + ", " + b).orElse("")));
        }
        out().println();
        Table table = new Table(40, "QUEUE", "TYPE", "READY", "UNACKED", "CONSUMERS", "IN/S", "OUT/S", "ACK/S");
        rows.forEach(r -> table.row(r.name(), r.type(), r.ready(), r.unacked(), r.consumers(), format(r.in()),
                format(r.out()), format(r.acked())));
        table.print(out());
        if (!warnings.isEmpty()) {
            out().println();
            warnings.forEach(w -> out().println("warning: " + w));
        }
    }

    private static String format(Double rate) {
        return rate == null ? "-" : String.format(Locale.ROOT, "%.1f", rate);
    }
}
