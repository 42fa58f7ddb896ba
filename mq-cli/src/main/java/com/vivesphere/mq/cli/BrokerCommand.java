package com.vivesphere.mq.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Base of the leaf commands: output through picocli's writers (so tests can capture it), and every failure
 * turned into one line {@code mqctl: <what happened and what to check>} and its exit code ({@link ExitCodes}).
 */
public abstract class BrokerCommand implements Callable<Integer> {

    @Spec
    protected CommandSpec spec;

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Where the command works, for error messages. */
    protected String where() {
        return "the broker";
    }

    protected abstract int execute() throws Exception;

    @Override
    public final Integer call() {
        try {
            return execute();
        } catch (ParameterException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err().println("mqctl: interrupted");
            return ExitCodes.FAILED;
        } catch (Exception e) {
            CliException failure = Failures.explain(e, where());
            err().println("mqctl: " + failure.getMessage());
            return failure.exitCode();
        } finally {
            out().flush();
            err().flush();
        }
    }

    protected ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
