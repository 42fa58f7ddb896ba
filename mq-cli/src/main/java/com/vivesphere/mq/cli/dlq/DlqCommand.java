package com.vivesphere.mq.cli.dlq;

import picocli.CommandLine.Command;

@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = { "Inspect, replay and purge dead letters.", "Dead letters wait in dead_letter_queue. Inspecting takes nothing away and "
                + "keeps the queue's order: one consumer holds every message present and hands all back at once "
                + "by closing its channel (on a quorum queue, a message another consumer held meanwhile and hands "
                + "back by closing its channel goes behind those); replay and purge remove a message only once it is safe elsewhere or meant "
                + "to go. Each command reads the messages present when it starts." },
        subcommands = { DlqList.class, DlqShow.class, DlqStats.class, DlqReplay.class, DlqPurge.class })
public class DlqCommand {
}
