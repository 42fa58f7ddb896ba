package com.vivesphere.mq.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Runs a command a test needs (openssl, initdb, rabbitmqctl) to its end, failing the test if it fails. */
public final class ExternalCommand {

    private ExternalCommand() {
    }

    /**
     * Starts the command, waits at most {@code timeout} (then kills it) and returns its output, standard error included.
     *
     * @throws IllegalStateException with the command and its output when it fails or does not finish in time
     */
    public static String run(ProcessBuilder command, Duration timeout) {
        Path output = null;
        try {
            // To a file, not a pipe: reading a pipe to its end would wait for a command that hangs beyond the limit.
            output = Files.createTempFile("external-command", ".out");
            Process process = command.redirectErrorStream(true).redirectOutput(output.toFile()).start();
            boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!exited) {
                process.destroyForcibly();
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (!exited || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command.command())
                        + (exited ? " failed: " : " did not exit within " + timeout + ": ") + text);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (output != null) {
                output.toFile().delete();
            }
        }
    }
}
