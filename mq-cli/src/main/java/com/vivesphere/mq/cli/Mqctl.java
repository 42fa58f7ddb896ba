package com.vivesphere.mq.cli;

import com.vivesphere.mq.cli.dlq.DlqCommand;
import com.vivesphere.mq.cli.publish.PublishCommand;
import com.vivesphere.mq.cli.status.StatusCommand;
import com.vivesphere.mq.cli.topology.TopologyCommand;
import com.vivesphere.mq.common.topology.QueueType;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import io.quarkus.runtime.annotations.RegisterForReflection;
import picocli.AutoComplete;
import picocli.CommandLine.Command;

/** {@code mqctl}: the operator's command line for vivesphere-mq. */
@TopCommand
// For a native executable: the enum its converter reaches by reflection only.
@RegisterForReflection(targets = QueueType.class)
@Command(name = "mqctl", mixinStandardHelpOptions = true, version = "mqctl (vivesphere-mq 0.1.0)",
        description = { "The operator's command line for vivesphere-mq: check and declare the topology, send test "
                + "messages, inspect, replay and purge dead letters, see queue status.",
                "Connects with the same environment variables as the apps (RABBITMQ_HOST, RABBITMQ_PORT, "
                        + "RABBITMQ_ADDRESSES, RABBITMQ_USERNAME, RABBITMQ_PASSWORD, RABBITMQ_VHOST, VIVESPHERE_SECRETS_DIR, "
                        + "VIVESPHERE_RABBITMQ_AUTHENTICATION; RABBITMQ_PASSWORD_FILE, RABBITMQ_TLS_CA_FILE, RABBITMQ_TLS_CERT_FILE, "
                        + "RABBITMQ_TLS_KEY_FILE; VIVESPHERE_TOPOLOGY_*); every command takes them as options too (--help)." },
        subcommands = { TopologyCommand.class, PublishCommand.class, DlqCommand.class, StatusCommand.class,
                AutoComplete.GenerateCompletion.class },
        footer = { "", "Examples:", "  mqctl topology verify", "  mqctl publish log --level error --message 'test'",
                "  mqctl dlq list --queue bot_action_queue", "  mqctl dlq replay --reason processing-failed --rate 50",
                "  source <(mqctl generate-completion)    # bash/zsh completion", "", ExitCodes.HELP_SECTION })
public class Mqctl {
}
