package com.vivesphere.mq.cli;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.quarkus.picocli.runtime.PicocliCommandLineFactory;
import picocli.CommandLine;

/** The command line Quarkus runs: picocli's, with mqctl's handling of usage errors ({@link UsageErrors}). */
@Singleton
public class MqctlCommandLine {

    @Produces
    @Singleton
    CommandLine commandLine(PicocliCommandLineFactory factory) {
        return configure(factory.create());
    }

    /** The settings every mqctl command line has, in the packaged command as in tests that run it in-process. */
    public static CommandLine configure(CommandLine commandLine) {
        return commandLine.setParameterExceptionHandler(new UsageErrors());
    }
}
