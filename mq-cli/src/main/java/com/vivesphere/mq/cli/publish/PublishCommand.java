package com.vivesphere.mq.cli.publish;

import picocli.CommandLine.Command;

@Command(name = "publish", mixinStandardHelpOptions = true,
        description = { "Publish test messages, with publisher confirms.", "Publish test messages the documented way (JSON, persistent, message id and type set, mandatory "
                + "routing), waiting for the broker's publisher confirms." },
        subcommands = { PublishLog.class, PublishAction.class })
public class PublishCommand {
}
