package com.vivesphere.mq.cli.topology;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.vivesphere.mq.cli.BrokerCommand;
import com.vivesphere.mq.cli.ExitCodes;
import com.vivesphere.mq.cli.TopologyOptions;
import com.vivesphere.mq.common.topology.DefinitionsExport;
import com.vivesphere.mq.common.topology.Topology;
import com.vivesphere.mq.common.topology.TopologyResources;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = { "Print the topology as a RabbitMQ definitions document or Kubernetes resources.",
                "Print the code's topology as a RabbitMQ definitions document (definitions.json, for load_definitions or the "
                        + "management UI's import) or, with --format kubernetes, as Messaging Topology Operator resources "
                        + "(docs/kubernetes.md). No credentials, no connection." },
        footer = { "", "Examples:", "  mqctl topology export > definitions.json",
                "  mqctl topology export --queue-type classic --definitions-vhost staging -o staging.json",
                "  mqctl topology export --format kubernetes -o topology.yaml",
                "", ExitCodes.HELP_SECTION })
public class TopologyExport extends BrokerCommand {

    @Mixin
    TopologyOptions settings;

    @Option(names = { "-o", "--output" }, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    Path output;

    @Option(names = "--definitions-vhost", defaultValue = DefinitionsExport.VHOST, paramLabel = "VHOST",
            description = "Vhost named in the document (default ${DEFAULT-VALUE}).")
    String vhost;

    @Option(names = "--format", defaultValue = "definitions", paramLabel = "definitions|kubernetes",
            description = "definitions (a definitions.json document) or kubernetes (rabbitmq.com/v1beta1 Exchange, Queue, "
                    + "Binding, User and Permission resources); default ${DEFAULT-VALUE}.")
    Format format;

    /** What the document is; lower case on the command line. */
    public enum Format {
        definitions, kubernetes
    }

    @Override
    protected int execute() throws Exception {
        Topology topology = settings.topology();
        String document = format == Format.kubernetes ? TopologyResources.render(topology, vhost)
                : DefinitionsExport.VHOST.equals(vhost) ? DefinitionsExport.render(topology)
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
