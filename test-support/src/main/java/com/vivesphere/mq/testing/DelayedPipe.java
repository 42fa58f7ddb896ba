package com.vivesphere.mq.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * One direction of a {@link TcpProxy} connection: bytes read at {@code t} are written at {@code t + delay}, in
 * order, and not before a stall ends. A reader and a writer with a queue between them, so that a delay holds
 * back each chunk by itself (as a long link does) instead of adding up read after read.
 */
final class DelayedPipe {

    /** Chunks on their way; when full the reader stops reading and TCP's own flow control holds the sender. */
    private static final int IN_FLIGHT = 4096;
    private static final Chunk END = new Chunk(new byte[0], 0);
    /** The longest wait before looking again: a stall may be shortened or ended. */
    private static final long RECHECK_NANOS = 5_000_000L;

    private record Chunk(byte[] bytes, long dueNanos) {
    }

    private final Socket from;
    private final Socket to;
    private final LongSupplier delayNanos;
    private final LongSupplier stalledUntilNanos;
    private final BlockingQueue<Chunk> chunks = new ArrayBlockingQueue<>(IN_FLIGHT);

    /** {@code delayNanos}: added to each chunk when read; {@code stalledUntilNanos}: nothing is written before it. */
    DelayedPipe(Socket from, Socket to, LongSupplier delayNanos, LongSupplier stalledUntilNanos) {
        this.from = from;
        this.to = to;
        this.delayNanos = delayNanos;
        this.stalledUntilNanos = stalledUntilNanos;
    }

    void start() {
        daemon(this::read, "tcp-proxy-read");
        daemon(this::write, "tcp-proxy-write");
    }

    private void read() {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            for (int n; (n = in.read(buffer)) >= 0;) {
                enqueue(new Chunk(Arrays.copyOf(buffer, n), System.nanoTime() + delayNanos.getAsLong()));
            }
        } catch (IOException | InterruptedException e) {
            // cut, or the writer closed both
        } finally {
            // what is on its way is still written, then the writer closes both
            try {
                enqueue(END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void enqueue(Chunk chunk) throws InterruptedException {
        while (!chunks.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
            if (to.isClosed()) {
                return;
            }
        }
    }

    private void write() {
        try {
            OutputStream out = to.getOutputStream();
            for (Chunk chunk; (chunk = chunks.take()) != END;) {
                for (long wait; (wait = Math.max(chunk.dueNanos(), stalledUntilNanos.getAsLong()) - System.nanoTime()) > 0;) {
                    LockSupport.parkNanos(Math.min(wait, RECHECK_NANOS));
                }
                out.write(chunk.bytes());
            }
        } catch (IOException | InterruptedException e) {
            // the other side closed
        } finally {
            TcpProxy.closeQuietly(from);
            TcpProxy.closeQuietly(to);
        }
    }

    private static void daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }
}
