package com.vivesphere.mq.cli.publish;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/** How many messages, how fast, and where from: shared by {@code publish log} and {@code publish action}. */
public class TrafficOptions {

    @Option(names = { "-f", "--file" }, paramLabel = "FILE",
            description = "Read the message from a JSON file ('-' for standard input) instead of the field options. "
                    + "It is checked against the contract before anything is sent.")
    Path file;

    @Option(names = { "-n", "--count" }, defaultValue = "1", paramLabel = "N",
            description = "Messages to send (default ${DEFAULT-VALUE}); each copy gets a new id.")
    int count;

    @Option(names = { "-r", "--rate" }, defaultValue = "0", paramLabel = "PER_SECOND",
            description = "Messages per second; 0 (default) sends as fast as the broker confirms.")
    double rate;
}
