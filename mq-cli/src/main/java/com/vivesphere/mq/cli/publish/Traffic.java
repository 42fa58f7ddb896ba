package com.vivesphere.mq.cli.publish;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import com.vivesphere.mq.cli.CliException;
import com.vivesphere.mq.cli.ExitCodes;
import com.vivesphere.mq.cli.Throttle;
import com.vivesphere.mq.common.publish.MessagePublisher;

/**
 * Sends {@code count} messages at {@code rate} per second (0: as fast as confirms come), waiting for the
 * broker's confirms in small batches, with a progress line every second on standard error.
 */
final class Traffic {

    private static final long PROGRESS_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private Traffic() {
    }

    /** @return the messages confirmed (all of them, or an exception says how many) */
    static int send(MessagePublisher publisher, int count, double rate, IntFunction<Outgoing> next, PrintWriter progress)
            throws IOException {
        int batch = count == 1 ? 1 : (int) Math.max(1, Math.min(500, rate > 0 ? Math.ceil(rate / 10) : 200));
        long start = System.nanoTime();
        long lastProgress = start;
        int confirmed = 0;
        Throttle throttle = new Throttle(rate);
        for (int i = 0; i < count; i++) {
            throttle.awaitTurn();
            Outgoing message = next.apply(i);
            try {
                publisher.publishRaw(message.exchange(), message.routingKey(), message.properties(), message.body());
                if ((i + 1) % batch == 0 || i == count - 1) {
                    publisher.awaitConfirms();
                    confirmed = i + 1;
                }
            } catch (IOException e) {
                throw new CliException(ExitCodes.REFUSED, "publishing failed after " + confirmed + " confirmed message(s) "
                        + "(up to " + batch + " more may have been taken): " + e.getMessage(), e);
            }
            long now = System.nanoTime();
            if (count > 1 && now - lastProgress >= PROGRESS_EVERY_NANOS) {
                lastProgress = now;
                progress.printf(Locale.ROOT, "published %d/%d, %d confirmed%n", i + 1, count, confirmed);
                progress.flush();
            }
        }
        return confirmed;
    }

    static String rate(int messages, long startNanos) {
        double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
        return String.format(Locale.ROOT, "in %.1f s (%.0f/s)", seconds, messages / seconds);
    }
}
