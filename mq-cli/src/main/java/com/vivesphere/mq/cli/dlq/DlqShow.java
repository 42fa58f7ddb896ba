package com.vivesphere.mq.cli.dlq;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.vivesphere.mq.cli.ExitCodes;
import com.vivesphere.mq.cli.Table;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "show", mixinStandardHelpOptions = true,
        description = { "Show dead letters in full, secrets redacted.", "Show dead letters in full: why and where from, properties, headers (with the attempt "
                + "history) and body; credentials and tokens are redacted. Takes nothing away." },
        footer = { "", "Examples:", "  mqctl dlq show 0b6f6a7e-2f0e-4c1e-9a7d-3f1f5c2b8e41", "  mqctl dlq show ID1 ID2 --json",
                "", ExitCodes.HELP_SECTION })
public class DlqShow extends DeadLetterCommand {

    @Parameters(arity = "1..*", paramLabel = "ID", description = "Dead letter ids, as 'mqctl dlq list' shows them.")
    List<String> ids;

    @Option(names = "--json", description = "JSON array instead of text.")
    boolean json;

    @Override
    protected int execute() throws Exception {
        return scan("show", (connection, scan) -> {
            List<DeadLetter> found = new ArrayList<>();
            MissingIds missing = new MissingIds(ids);
            DeadLetter letter;
            while ((letter = scan.next()) != null) {
                missing.examined(letter);
                if (ids.contains(letter.id())) {
                    found.add(letter);
                }
            }
            if (json) {
                out().println(DeadLetterJson.write(found.stream().map(d -> DeadLetterJson.full(d, now)).toList()));
            } else {
                found.forEach(d -> print(d, scan.snapshot()));
            }
            if (missing.any()) {
                err().println("mqctl: " + missing.message(scan));
                return ExitCodes.NOT_FOUND;
            }
            return ExitCodes.OK;
        });
    }

    private void print(DeadLetter d, long total) {
        Map<String, Object> summary = DeadLetterJson.summary(d, now);
        out().println("dead letter " + d.id() + " (position " + d.position() + " of " + total + ")");
        summary.remove("id");
        summary.remove("position");
        summary.put("age", Table.age(d.age(now)));
        summary.remove("ageSeconds");
        summary.forEach((k, v) -> out().printf("  %-20s %s%n", k, v == null ? "-" : v));
        out().println("properties");
        DeadLetterJson.properties(d.properties()).forEach((k, v) -> out().printf("  %-20s %s%n", k, v));
        out().println("headers");
        DeadLetterJson.headers(d.headers()).forEach((k, v) -> {
            if (v instanceof List<?> list) {
                out().println("  " + k);
                list.forEach(item -> out().println("    - " + item));
            } else {
                out().printf("  %-30s %s%n", k, v);
            }
        });
        out().println("body (" + d.body().length + " bytes)");
        Object body = DeadLetterJson.body(d.body());
        String text = body instanceof String s ? s : DeadLetterJson.write(body);
        text.lines().forEach(line -> out().println("  " + line));
        out().println();
    }
}
