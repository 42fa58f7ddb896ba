package com.vivesphere.mq.cli.dlq;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The dead letters {@code replay} and {@code purge} act on: by id, by filter, or all; never by default. */
public class Selection {

    @Parameters(arity = "0..*", paramLabel = "ID", description = "Dead letter ids, as 'mqctl dlq list' shows them.")
    List<String> ids = new ArrayList<>();

    @Option(names = "--all", description = "Every dead letter (with no id and no filter).")
    boolean all;

    @Mixin
    DeadLetterFilter filter;

    /** Null when the selection is usable, else what is wrong with it. */
    String problem() {
        if (all && (!ids.isEmpty() || !filter.isEmpty())) {
            return "--all cannot be combined with ids or filters";
        }
        if (!all && ids.isEmpty() && filter.isEmpty()) {
            return "choose the dead letters: ids, a filter (--queue, --reason, --class, --error-type, --older-than, "
                    + "--newer-than) or --all";
        }
        return null;
    }

    /** Tracks which of the given ids the scan meets. */
    MissingIds missingIds() {
        return new MissingIds(ids);
    }

    boolean matches(DeadLetter letter, Instant now) {
        return all || ((ids.isEmpty() || ids.contains(letter.id())) && filter.matches(letter, now));
    }
}
