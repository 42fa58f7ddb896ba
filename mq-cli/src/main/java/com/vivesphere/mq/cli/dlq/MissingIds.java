package com.vivesphere.mq.cli.dlq;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/** The ids a command was given that no dead letter it examined carries (those it names, exiting 5). */
final class MissingIds {

    private final Set<String> missing;

    MissingIds(Collection<String> ids) {
        this.missing = new LinkedHashSet<>(ids);
    }

    void examined(DeadLetter letter) {
        missing.remove(letter.id());
    }

    boolean any() {
        return !missing.isEmpty();
    }

    /** The error line, without the {@code mqctl: } prefix. */
    String message(DeadLetterScan scan) {
        return "no dead letter with id " + String.join(", ", missing) + " among the " + scan.taken() + " in " + scan.queue();
    }
}
