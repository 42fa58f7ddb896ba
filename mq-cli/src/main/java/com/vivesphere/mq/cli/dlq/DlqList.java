package com.vivesphere.mq.cli.dlq;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.vivesphere.mq.cli.ExitCodes;
import com.vivesphere.mq.cli.Table;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "list", mixinStandardHelpOptions = true,
        description = { "List dead letters.", "List dead letters, head of the queue first: id, original queue, reason, failure class, "
                + "attempts, age. Takes nothing away and keeps the order (on a quorum queue, a message that another "
                + "consumer held meanwhile and hands back by closing its channel goes behind the listed ones; "
                + "see mq-cli/README.md)." },
        footer = { "", "Examples:", "  mqctl dlq list", "  mqctl dlq list --queue bot_action_queue --reason processing-failed",
                "  mqctl dlq list --older-than 2d --json | jq '.[].id'", "", com.vivesphere.mq.cli.ExitCodes.HELP_SECTION })
public class DlqList extends DeadLetterCommand {

    @Mixin
    DeadLetterFilter filter;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N", description = "Show at most N (0, default: all).")
    int limit;

    @Option(names = "--json", description = "JSON array instead of a table.")
    boolean json;

    @Override
    protected int execute() throws Exception {
        return scan("list", (connection, scan) -> {
            List<DeadLetter> shown = new ArrayList<>();
            DeadLetter letter;
            while ((limit == 0 || shown.size() < limit) && (letter = scan.next()) != null) {
                if (filter.matches(letter, now)) {
                    shown.add(letter);
                }
            }
            if (json) {
                List<Map<String, Object>> items = shown.stream().map(d -> DeadLetterJson.summary(d, now)).toList();
                out().println(DeadLetterJson.write(items));
            } else {
                Table table = new Table(48, "ID", "QUEUE", "REASON", "CLASS", "ATTEMPTS", "AGE");
                shown.forEach(d -> table.row(d.id(), d.originalQueue(), d.reason(), d.failureClass(), d.attempts(),
                        Table.age(d.age(now))));
                table.print(out());
            }
            err().println(shown.size() + " dead letter(s) shown; " + scan.taken() + " of " + scan.snapshot() + " in "
                    + scan.queue() + " examined");
            return ExitCodes.OK;
        });
    }
}
