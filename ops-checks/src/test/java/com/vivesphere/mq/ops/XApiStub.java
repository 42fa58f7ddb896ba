package com.vivesphere.mq.ops;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for the X API on the loopback interface, so that a bot-action-worker that executes actions calls it
 * and never the real X: every request gets 200, a small JSON body and X's rate-limit headers.
 */
final class XApiStub implements AutoCloseable {

    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    private XApiStub(HttpServer server) {
        this.server = server;
    }

    static XApiStub start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        XApiStub stub = new XApiStub(server);
        server.createContext("/", exchange -> {
            int count = stub.requests.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            byte[] body = "{\"data\":{\"id\":\"1\",\"liked\":true}}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add("x-rate-limit-limit", "50");
            exchange.getResponseHeaders().add("x-rate-limit-remaining", String.valueOf(Math.max(0, 50 - count)));
            exchange.getResponseHeaders().add("x-rate-limit-reset", String.valueOf(Instant.now().plusSeconds(900).getEpochSecond()));
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return stub;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
