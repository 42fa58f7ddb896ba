package com.vivesphere.mq.cli.topology;

import java.util.List;

import com.vivesphere.mq.cli.BrokerCommand;
import com.vivesphere.mq.cli.BrokerOptions;
import com.vivesphere.mq.cli.ExitCodes;
import com.vivesphere.mq.cli.ManagementApi;
import com.vivesphere.mq.cli.TopologyOptions;
import com.vivesphere.mq.common.topology.Topology;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = { "List every difference between the vhost and the code's topology.", "Compare the vhost with the code's topology and list every difference: missing or different "
                + "exchanges and queues (type, flags, each argument), missing bindings, and bindings on the topology's "
                + "exchanges or queues that the code does not define. Changes nothing. Reads the management API." },
        footer = { "", "Examples:", "  mqctl topology verify", "  mqctl topology verify --vhost staging --queue-type classic",
                "", ExitCodes.HELP_SECTION })
public class TopologyVerify extends BrokerCommand {

    @Mixin
    BrokerOptions broker;

    @Mixin
    TopologyOptions settings;

    @Override
    protected String where() {
        return broker.describe();
    }

    @Override
    protected int execute() {
        Topology topology = settings.topology();
        ManagementApi api = broker.management();
        List<TopologyDiff.Difference> differences = TopologyDiff.compare(topology, api.exchanges(), api.queues(),
                api.bindings());
        if (differences.isEmpty()) {
            out().println("vhost " + broker.vhost() + " matches the topology: " + TopologyDiff.size(topology));
            return ExitCodes.OK;
        }
        differences.forEach(d -> out().println(d));
        out().println(differences.size() + " difference(s) between vhost " + broker.vhost() + " and the topology ("
                + TopologyDiff.size(topology) + "). 'mqctl topology apply' adds what is missing; a queue with other "
                + "arguments must be emptied and deleted first (RabbitMQ cannot change them).");
        return ExitCodes.FAILED;
    }
}
