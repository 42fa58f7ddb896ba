package com.vivesphere.mq.cli.dlq;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.vivesphere.mq.cli.ExitCodes;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "purge", mixinStandardHelpOptions = true,
        description = { "Delete dead letters, after confirmation.", "Delete dead letters for good: by id, by filter, or all. Shows how many match and asks for "
                + "confirmation unless --yes; only the matching messages present when it started are removed, "
                + "the others stay where they were.",
                "Ids that match no dead letter are named and the exit code is 5, after the others were purged." },
        footer = { "", "Examples:", "  mqctl dlq purge --reason schema-invalid --older-than 7d",
                "  mqctl dlq purge 0b6f6a7e-2f0e-4c1e-9a7d-3f1f5c2b8e41 --yes", "  mqctl dlq purge --all --dry-run", "",
                ExitCodes.HELP_SECTION })
public class DlqPurge extends DeadLetterCommand {

    @Mixin
    Selection selection;

    @Option(names = { "-y", "--yes" }, description = "Do not ask for confirmation.")
    boolean yes;

    @Option(names = "--dry-run", description = "Only count and list what would be purged.")
    boolean dryRun;

    @Override
    protected int execute() throws Exception {
        String problem = selection.problem();
        if (problem != null) {
            throw usage(problem);
        }
        return scan("purge", (connection, scan) -> {
            List<DeadLetter> matching = new ArrayList<>();
            MissingIds missing = selection.missingIds();
            DeadLetter letter;
            while ((letter = scan.next()) != null) {
                missing.examined(letter);
                if (selection.matches(letter, now)) {
                    matching.add(letter);
                }
            }
            // Named before the question, so the operator knows what the count leaves out.
            if (missing.any()) {
                err().println("mqctl: " + missing.message(scan));
            }
            int done = purge(matching, scan);
            return missing.any() ? ExitCodes.NOT_FOUND : done;
        });
    }

    private int purge(List<DeadLetter> matching, DeadLetterScan scan) throws java.io.IOException {
        if (matching.isEmpty()) {
            out().println("no dead letter matches; " + scan.taken() + " in " + scan.queue() + " examined");
            return ExitCodes.OK;
        }
        if (dryRun) {
            matching.forEach(d -> out().println("would purge " + d.id() + " (" + d.originalQueue() + ", " + d.reason() + ")"));
            out().println("would purge " + matching.size() + " of the " + scan.taken() + " dead letter(s) in " + scan.queue());
            return ExitCodes.OK;
        }
        if (!yes && !confirmed(matching.size(), scan)) {
            out().println("nothing purged");
            return ExitCodes.FAILED;
        }
        for (DeadLetter d : matching) {
            scan.settle(d);
        }
        out().println("purged " + matching.size() + " dead letter(s) from " + scan.queue());
        return ExitCodes.OK;
    }

    private boolean confirmed(int count, DeadLetterScan scan) throws java.io.IOException {
        err().print("Purge " + count + " of the " + scan.taken() + " dead letter(s) in " + scan.queue()
                + " for good? Type 'yes' to confirm: ");
        err().flush();
        String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        return answer != null && List.of("y", "yes").contains(answer.trim().toLowerCase(Locale.ROOT));
    }
}
