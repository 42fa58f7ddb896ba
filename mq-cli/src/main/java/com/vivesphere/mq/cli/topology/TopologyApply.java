package com.vivesphere.mq.cli.topology;

import com.rabbitmq.client.Connection;
import com.vivesphere.mq.cli.BrokerCommand;
import com.vivesphere.mq.cli.BrokerOptions;
import com.vivesphere.mq.cli.ExitCodes;
import com.vivesphere.mq.cli.TopologyOptions;
import com.vivesphere.mq.common.topology.Topology;
import com.vivesphere.mq.common.topology.TopologyDeclarer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "apply", mixinStandardHelpOptions = true,
        description = { "Declare the code's topology on the vhost.", "Declare the code's topology on the vhost, as the apps do at start: what exists unchanged "
                + "is left alone, what is missing is created. Stops at a queue or exchange that exists with other "
                + "arguments, naming it (exit 6); nothing is ever deleted." },
        footer = { "", "Examples:", "  mqctl topology apply", "  RABBITMQ_VHOST=staging mqctl topology apply --queue-type classic",
                "", ExitCodes.HELP_SECTION })
public class TopologyApply extends BrokerCommand {

    @Mixin
    BrokerOptions broker;

    @Mixin
    TopologyOptions settings;

    @Override
    protected String where() {
        return broker.describe();
    }

    @Override
    protected int execute() throws Exception {
        Topology topology = settings.topology();
        try (Connection connection = broker.connect("topology apply")) {
            TopologyDeclarer.declare(connection, topology);
        }
        out().println("declared on vhost " + broker.vhost() + ": " + TopologyDiff.size(topology));
        return ExitCodes.OK;
    }
}
