package com.vivesphere.mq.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Runs a command a test needs (openssl, initdb, rabbitmqctl) to its end, failing the test if it fails. */
public final class ExternalCommand {

    private ExternalCommand() {
    }

    /**
     * Starts the command, waits at most {@code timeout} and returns its output (standard error included).
     *
     * @throws IllegalStateException with the command and its output when it fails or does not finish
     */
    public static String run(ProcessBuilder command, Duration timeout) {
        command.redirectErrorStream(true);
        try {
            Process process = command.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command.command()) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
