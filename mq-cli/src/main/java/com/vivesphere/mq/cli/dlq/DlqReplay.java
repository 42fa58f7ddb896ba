package com.vivesphere.mq.cli.dlq;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.AMQP;
import com.vivesphere.mq.cli.CliException;
import com.vivesphere.mq.cli.DurationConverter;
import com.vivesphere.mq.cli.ExitCodes;
import com.vivesphere.mq.cli.Failures;
import com.vivesphere.mq.cli.Throttle;
import com.vivesphere.mq.common.publish.MessagePublisher;
import com.vivesphere.mq.common.topology.Topology;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "replay", mixinStandardHelpOptions = true,
        description = { "Send dead letters back to their queue, never losing one.", "Send dead letters back to the queue they failed in (or --to another), head of the queue first. "
                + "Each one is published with a publisher confirm and only then removed from the dead-letter queue: "
                + "if mqctl or the broker stops half-way, every message is in one of the two queues (at worst a "
                + "duplicate in both), never in neither.",
                "Body and properties are kept; the failure headers (x-vs-*) are dropped, so the worker gives the "
                        + "message a fresh retry budget, and the attempt history records the replay; the broker's "
                        + "x-death headers are dropped too (RabbitMQ would see a dead-letter cycle).",
                "Ids that match no dead letter are named and the exit code is 5, after the others were replayed." },
        footer = { "", "Examples:", "  mqctl dlq replay 0b6f6a7e-2f0e-4c1e-9a7d-3f1f5c2b8e41",
                "  mqctl dlq replay --queue bot_action_queue --reason processing-failed --dry-run",
                "  mqctl dlq replay --all --rate 50", "  mqctl dlq replay --reason expired --to log_queue",
                "  mqctl dlq replay --class transient --delay 10m   # through the delay levels", "", ExitCodes.HELP_SECTION })
public class DlqReplay extends DeadLetterCommand {

    private static final long PROGRESS_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    @Mixin
    Selection selection;

    @Option(names = "--to", paramLabel = "QUEUE", description = "Send to this queue instead of each message's original one.")
    String to;

    @Option(names = "--delay", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Deliver after this delay, through the delay levels (target: log_queue, log_priority_queue or "
                    + "bot_action_queue).")
    Duration delay;

    @Option(names = "--rate", defaultValue = "0", paramLabel = "PER_SECOND",
            description = "At most this many messages per second (0, default: as fast as confirms come).")
    double rate;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N", description = "Replay at most N (0, default: all selected).")
    long limit;

    @Option(names = "--dry-run", description = "Only list what would be replayed, and where to.")
    boolean dryRun;

    @Override
    protected int execute() throws Exception {
        String problem = selection.problem();
        if (problem != null) {
            throw usage(problem);
        }
        if (delay != null && to != null && !Topology.isDelayable(to)) {
            throw usage("--delay can only deliver to " + String.join(", ", Topology.DELAYABLE_QUEUES) + " or a shard of "
                    + Topology.LOG_QUEUE);
        }
        if (rate < 0) {
            throw usage("--rate must not be negative");
        }
        return scan("replay", (connection, scan) -> {
            int replayed = 0;
            int skipped = 0;
            MissingIds missing = selection.missingIds();
            Throttle throttle = new Throttle(rate);
            long lastProgress = System.nanoTime();
            try (MessagePublisher publisher = new MessagePublisher(connection, broker.timeout())) {
                DeadLetter letter;
                while ((limit == 0 || replayed < limit) && (letter = scan.next()) != null) {
                    missing.examined(letter);
                    if (!selection.matches(letter, now)) {
                        continue;
                    }
                    String target = to != null ? to : letter.originalQueue();
                    if (target == null || (delay != null && !Topology.isDelayable(target))) {
                        skipped++;
                        err().println("skipped " + letter.id() + ": " + (target == null
                                ? "its original queue is unknown (use --to)" : "--delay cannot deliver to " + target));
                        continue;
                    }
                    if (dryRun) {
                        out().println("would replay " + letter.id() + " " + letter.originalQueue() + " -> " + target
                                + (delay != null ? " after " + delay.getSeconds() + "s" : "") + " (" + letter.reason() + ")");
                        replayed++;
                        continue;
                    }
                    throttle.awaitTurn();
                    AMQP.BasicProperties properties = ReplayHeaders.properties(letter, target, now);
                    try {
                        if (delay != null) {
                            publisher.publishRawDelayed(target, delay, properties, letter.body());
                        } else {
                            publisher.publishRaw("", target, properties, letter.body());
                        }
                        publisher.awaitConfirms();
                    } catch (IOException | RuntimeException e) {
                        CliException failure = Failures.explain(e, broker.describe());
                        err().println("mqctl: replay of " + letter.id() + " to " + target + " failed, it stays in "
                                + scan.queue() + ": " + failure.getMessage());
                        summary(replayed, skipped, scan);
                        return failure.exitCode();
                    }
                    scan.settle(letter);
                    replayed++;
                    out().println("replayed " + letter.id() + " " + letter.originalQueue() + " -> " + target);
                    long nanos = System.nanoTime();
                    if (nanos - lastProgress >= PROGRESS_EVERY_NANOS) {
                        lastProgress = nanos;
                        err().println("progress: " + replayed + " replayed, " + scan.taken() + " of " + scan.snapshot()
                                + " examined");
                        err().flush();
                    }
                }
            }
            // An id is missing only if no dead letter carries it, also beyond --limit.
            DeadLetter rest;
            while (missing.any() && (rest = scan.next()) != null) {
                missing.examined(rest);
            }
            summary(replayed, skipped, scan);
            if (missing.any()) {
                err().println("mqctl: " + missing.message(scan));
                return ExitCodes.NOT_FOUND;
            }
            return skipped > 0 ? ExitCodes.FAILED : ExitCodes.OK;
        });
    }

    private void summary(int replayed, int skipped, DeadLetterScan scan) {
        out().println((dryRun ? "would replay " : "replayed ") + replayed + " dead letter(s)"
                + (skipped > 0 ? ", skipped " + skipped : "") + "; " + scan.taken() + " of " + scan.snapshot() + " in "
                + scan.queue() + " examined");
    }
}
