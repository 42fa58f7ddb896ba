package com.vivesphere.mq.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP port free on the loopback interface, for a process or server a test starts, which binds it later.
 * <p>
 * Taken below the kernel's ephemeral range, not by binding port 0: a port from that range can become, before the
 * process binds it, the local port of any outgoing connection (the tests open many), and the process then exits with
 * "port in use". Handed out in turn from a random start, so that the threads of one test JVM (scenarios running
 * concurrently) never get the same one.
 */
public final class LoopbackPort {

    private static final int[] EPHEMERAL = ephemeralRange();
    /** Below the ephemeral range when there is room for it there, otherwise above it. */
    private static final int LOWEST = EPHEMERAL[0] > 21_000 ? 20_000 : EPHEMERAL[1] + 1;
    private static final int ABOVE_HIGHEST = EPHEMERAL[0] > 21_000 ? EPHEMERAL[0] : 65_536;
    private static final AtomicInteger NEXT = new AtomicInteger(
            LOWEST + ThreadLocalRandom.current().nextInt(ABOVE_HIGHEST - LOWEST));

    private LoopbackPort() {
    }

    public static int free() {
        for (int tried = 0; tried < ABOVE_HIGHEST - LOWEST; tried++) {
            int port = LOWEST + Math.floorMod(NEXT.getAndIncrement() - LOWEST, ABOVE_HIGHEST - LOWEST);
            if (bindable(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free loopback port in " + LOWEST + ".." + (ABOVE_HIGHEST - 1));
    }

    private static boolean bindable(int port) {
        // The wildcard address, as the apps bind it: a listener on any address makes the port unusable for them.
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code net.ipv4.ip_local_port_range} (Linux's default where it cannot be read). */
    private static int[] ephemeralRange() {
        try {
            String[] range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
            return new int[] {Integer.parseInt(range[0]), Integer.parseInt(range[1])};
        } catch (IOException | RuntimeException e) {
            return new int[] {32_768, 60_999};
        }
    }
}
