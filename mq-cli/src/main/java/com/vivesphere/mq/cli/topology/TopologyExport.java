package com.vivesphere.mq.cli.topology;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.vivesphere.mq.cli.BrokerCommand;
import com.vivesphere.mq.cli.ExitCodes;
import com.vivesphere.mq.cli.TopologyOptions;
import com.vivesphere.mq.common.topology.DefinitionsExport;
import com.vivesphere.mq.common.topology.Topology;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = { "Print the topology as a RabbitMQ definitions document.", "Print the code's topology as a RabbitMQ definitions document (definitions.json, for "
                + "load_definitions or the management UI's import). No credentials, no connection." },
        footer = { "", "Examples:", "  mqctl topology export > definitions.json",
                "  mqctl topology export --queue-type classic --definitions-vhost staging -o staging.json",
                "", ExitCodes.HELP_SECTION })
public class TopologyExport extends BrokerCommand {

    @Mixin
    TopologyOptions settings;

    @Option(names = { "-o", "--output" }, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    Path output;

    @Option(names = "--definitions-vhost", defaultValue = DefinitionsExport.VHOST, paramLabel = "VHOST",
            description = "Vhost named in the document (default ${DEFAULT-VALUE}).")
    String vhost;

    @Override
    protected int execute() throws Exception {
        Topology topology = settings.topology();
        String document = DefinitionsExport.VHOST.equals(vhost) ? DefinitionsExport.render(topology)
                : new ObjectMapper().writerWithDefaultPrettyPrinter()
                        .writeValueAsString(DefinitionsExport.definitions(topology, vhost)) + "\n";
        if (output == null) {
            out().print(document);
        } else {
            Files.writeString(output, document);
            err().println("wrote " + output.toAbsolutePath());
        }
        return ExitCodes.OK;
    }
}
