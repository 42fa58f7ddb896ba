package com.vivesphere.mq.cli.dlq;

import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.vivesphere.mq.cli.ExitCodes;
import com.vivesphere.mq.cli.Table;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "stats", mixinStandardHelpOptions = true,
        description = { "Count dead letters by queue, reason, class and error type.", "Count dead letters by original queue, reason, failure class and error type, with the oldest "
                + "and newest of each group: what is failing, where, since when. Takes nothing away." },
        footer = { "", "Examples:", "  mqctl dlq stats", "  mqctl dlq stats --newer-than 1h --json", "",
                ExitCodes.HELP_SECTION })
public class DlqStats extends DeadLetterCommand {

    @Mixin
    DeadLetterFilter filter;

    @Option(names = "--json", description = "JSON instead of tables.")
    boolean json;

    record Key(String queue, String reason, String failureClass, String errorType) {
    }

    static final class Group {
        long count;
        Duration oldest;
        Duration newest;

        void add(Duration age) {
            count++;
            if (age != null) {
                oldest = oldest == null || age.compareTo(oldest) > 0 ? age : oldest;
                newest = newest == null || age.compareTo(newest) < 0 ? age : newest;
            }
        }
    }

    @Override
    protected int execute() throws Exception {
        return scan("stats", (connection, scan) -> {
            Map<Key, Group> groups = new LinkedHashMap<>();
            Map<String, Long> byQueue = new TreeMap<>();
            Map<String, Long> byReason = new TreeMap<>();
            Map<String, Long> byClass = new TreeMap<>();
            Group all = new Group();
            DeadLetter d;
            while ((d = scan.next()) != null) {
                if (!filter.matches(d, now)) {
                    continue;
                }
                Duration age = d.age(now);
                groups.computeIfAbsent(new Key(d.originalQueue(), d.reason(), d.failureClass(), d.errorType()), k -> new Group())
                        .add(age);
                all.add(age);
                byQueue.merge(String.valueOf(d.originalQueue()), 1L, Long::sum);
                byReason.merge(String.valueOf(d.reason()), 1L, Long::sum);
                byClass.merge(String.valueOf(d.failureClass()), 1L, Long::sum);
            }
            List<Map.Entry<Key, Group>> sorted = groups.entrySet().stream()
                    .sorted(Comparator.comparingLong((Map.Entry<Key, Group> e) -> e.getValue().count).reversed()).toList();
            if (json) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("queue", scan.queue());
                doc.put("total", all.count);
                doc.put("oldestSeconds", all.oldest == null ? null : all.oldest.getSeconds());
                doc.put("groups", sorted.stream().map(e -> {
                    Map<String, Object> g = new LinkedHashMap<>();
                    g.put("queue", e.getKey().queue());
                    g.put("reason", e.getKey().reason());
                    g.put("failureClass", e.getKey().failureClass());
                    g.put("errorType", e.getKey().errorType());
                    g.put("count", e.getValue().count);
                    g.put("oldestSeconds", e.getValue().oldest == null ? null : e.getValue().oldest.getSeconds());
                    g.put("newestSeconds", e.getValue().newest == null ? null : e.getValue().newest.getSeconds());
                    return g;
                }).toList());
                doc.put("byQueue", byQueue);
                doc.put("byReason", byReason);
                doc.put("byClass", byClass);
                out().println(DeadLetterJson.write(doc));
                return ExitCodes.OK;
            }
            out().println(scan.queue() + ": " + all.count + " dead letter(s)"
                    + (all.count > 0 ? ", oldest " + Table.age(all.oldest) + ", newest " + Table.age(all.newest) : ""));
            if (all.count == 0) {
                return ExitCodes.OK;
            }
            out().println();
            Table table = new Table(60, "QUEUE", "REASON", "CLASS", "ERROR TYPE", "COUNT", "OLDEST", "NEWEST");
            sorted.forEach(e -> table.row(e.getKey().queue(), e.getKey().reason(), e.getKey().failureClass(),
                    e.getKey().errorType(), e.getValue().count, Table.age(e.getValue().oldest), Table.age(e.getValue().newest)));
            table.print(out());
            out().println();
            out().println("by queue:  " + counts(byQueue));
            out().println("by reason: " + counts(byReason));
            out().println("by class:  " + counts(byClass));
            return ExitCodes.OK;
        });
    }

    private static String counts(Map<String, Long> counts) {
        return counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> e.getKey() + " " + e.getValue()).reduce((a, b) -> a + ", " + b).orElse("-");
    }
}
