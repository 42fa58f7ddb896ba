package com.vivesphere.mq.cli.topology;

import picocli.CommandLine.Command;

@Command(name = "topology", mixinStandardHelpOptions = true,
        description = { "Verify, declare or export the topology defined in code.", "Verify, declare or export the exchanges, queues and bindings defined in code (common-messages)." },
        subcommands = { TopologyVerify.class, TopologyApply.class, TopologyExport.class })
public class TopologyCommand {
}
