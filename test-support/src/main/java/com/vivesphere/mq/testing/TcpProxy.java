package com.vivesphere.mq.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP proxy that a test can take down and bring back on the same port, to make a real server
 * (PostgreSQL, RabbitMQ) unavailable to an application without touching the server itself; or slow
 * ({@link #delay}: latency each way) or stalled for a while ({@link #stall}) with its connections open, as a
 * bad network is (the test machines' kernels have no netem).
 */
public final class TcpProxy implements AutoCloseable {

    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;
    private volatile long delayNanos;
    private volatile long stalledUntilNanos = System.nanoTime();

    public TcpProxy(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            this.port = probe.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    /** Holds every byte for {@code oneWay} in each direction (a round trip takes twice that), from now on. */
    public TcpProxy delay(Duration oneWay) {
        delayNanos = oneWay.toNanos();
        return this;
    }

    /**
     * Forwards nothing in either direction for {@code duration}, connections kept open; then what waited flows.
     * A later call replaces it ({@link Duration#ZERO} ends it now).
     */
    public void stall(Duration duration) {
        stalledUntilNanos = System.nanoTime() + duration.toNanos();
    }

    /** Whether a {@link #stall} is still holding everything back. */
    public boolean stalled() {
        return System.nanoTime() < stalledUntilNanos;
    }

    /** Accepts connections again (after {@link #stop()}). */
    public synchronized TcpProxy start() {
        try {
            ServerSocket listening = new ServerSocket();
            listening.setReuseAddress(true);
            listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            server = listening;
            Thread acceptor = new Thread(() -> accept(listening), "tcp-proxy-" + port);
            acceptor.setDaemon(true);
            acceptor.start();
            return this;
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + port, e);
        }
    }

    /** Refuses new connections and cuts every open one, as a crashed server would. */
    public synchronized void stop() {
        closeQuietly(server);
        server = null;
        sockets.forEach(TcpProxy::closeQuietly);
        sockets.clear();
    }

    @Override
    public void close() {
        stop();
    }

    private void accept(ServerSocket listening) {
        while (!listening.isClosed()) {
            try {
                Socket client = listening.accept();
                synchronized (this) {
                    // Accepted just as stop() ran: refuse it, or it would outlive the outage.
                    if (server != listening) {
                        closeQuietly(client);
                        return;
                    }
                    Socket upstream = new Socket(targetHost, targetPort);
                    // forwarded as soon as due: Nagle's wait would add latency of its own to a delayed link
                    client.setTcpNoDelay(true);
                    upstream.setTcpNoDelay(true);
                    sockets.add(client);
                    sockets.add(upstream);
                    pipe(client, upstream);
                    pipe(upstream, client);
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pipe(Socket from, Socket to) {
        new DelayedPipe(from, to, () -> delayNanos, () -> stalledUntilNanos).start();
    }

    static void closeQuietly(AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception e) {
                // already closed
            }
        }
    }
}
