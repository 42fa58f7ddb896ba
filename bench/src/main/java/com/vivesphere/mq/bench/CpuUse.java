package com.vivesphere.mq.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time used so far (user + system, Linux {@code /proc}) by the consumer under test, the broker (every
 * {@code beam.smp}) and PostgreSQL (every {@code postgres} process). On two cores shared by the three, the
 * drain rate is bounded by their CPU per message together: the difference of two snapshots says which one
 * to work on.
 */
record CpuUse(long consumerTicks, long brokerTicks, long databaseTicks) {

    /** Linux's USER_HZ, the unit of /proc/PID/stat times, on every architecture Linux runs Java on. */
    private static final double TICKS_PER_SECOND = 100;

    static CpuUse of(long consumerPid) throws IOException {
        long consumer = 0;
        long broker = 0;
        long database = 0;
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                String stat;
                try {
                    stat = Files.readString(process.resolve("stat"));
                } catch (IOException gone) {
                    continue; // exited since the listing
                }
                // pid (comm) state ppid ...: comm may hold spaces, so fields are counted after its ')'
                String command = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
                if (Long.parseLong(process.getFileName().toString()) == consumerPid) {
                    consumer += ticks;
                } else if (command.equals("beam.smp")) {
                    broker += ticks;
                } else if (command.equals("postgres")) {
                    database += ticks;
                }
            }
        }
        return new CpuUse(consumer, broker, database);
    }

    /** Microseconds of CPU per message between {@code earlier} and this snapshot: consumer / broker / PostgreSQL. */
    String perMessage(CpuUse earlier, long messages) {
        return String.format("%.0f / %.0f / %.0f", micros(consumerTicks - earlier.consumerTicks, messages),
                micros(brokerTicks - earlier.brokerTicks, messages), micros(databaseTicks - earlier.databaseTicks, messages));
    }

    private static double micros(long ticks, long messages) {
        return ticks / TICKS_PER_SECOND * 1e6 / messages;
    }
}
