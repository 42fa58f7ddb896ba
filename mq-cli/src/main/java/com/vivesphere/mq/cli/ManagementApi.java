package com.vivesphere.mq.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Read-only client of the RabbitMQ management HTTP API, for what AMQP does not tell (arguments, rates). */
public class ManagementApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String vhost;
    private final String authorization;
    private final Duration timeout;
    private final HttpClient http;

    /** @param tls trust and client certificate for an {@code https} base; without it, the JVM's default context */
    public ManagementApi(URI base, String vhost, String username, String password, Duration timeout, Optional<SSLContext> tls) {
        this.base = base;
        this.vhost = vhost;
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.timeout = timeout;
        HttpClient.Builder http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout);
        tls.ifPresent(http::sslContext);
        this.http = http.build();
    }

    public URI base() {
        return base;
    }

    public JsonNode overview() {
        return get("/api/overview");
    }

    public JsonNode exchanges() {
        return get("/api/exchanges/" + segment(vhost));
    }

    public JsonNode queues() {
        return get("/api/queues/" + segment(vhost));
    }

    public JsonNode queue(String name) {
        return get("/api/queues/" + segment(vhost) + "/" + segment(name));
    }

    public JsonNode bindings() {
        return get("/api/bindings/" + segment(vhost));
    }

    public JsonNode connections() {
        return get("/api/vhosts/" + segment(vhost) + "/connections");
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode get(String path) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                .header("Authorization", authorization).header("Accept", "application/json").GET().build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException | HttpTimeoutException e) {
            throw unreachable(e);
        } catch (IOException e) {
            if (e.getCause() instanceof ConnectException) {
                throw unreachable(e);
            }
            throw Failures.tls(e, "the management API at " + base).orElseGet(() -> new CliException(ExitCodes.UNREACHABLE,
                    "management API at " + base + " failed: " + e, e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.FAILED, "interrupted", e);
        }
        int status = response.statusCode();
        if (status == 401) {
            throw new CliException(ExitCodes.ACCESS_REFUSED, "management API at " + base + " refused the credentials "
                    + "(the user also needs the 'management' or 'monitoring' tag)");
        }
        if (status == 403) {
            throw new CliException(ExitCodes.ACCESS_REFUSED, "management API at " + base + " refused access to " + path);
        }
        if (status == 404) {
            throw new CliException(ExitCodes.NOT_FOUND, "management API at " + base + ": not found: " + path
                    + " (does vhost '" + vhost + "' exist?)");
        }
        if (status >= 300) {
            throw new CliException(ExitCodes.REFUSED, "management API at " + base + " answered " + status + " to " + path);
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new CliException(ExitCodes.REFUSED, "management API at " + base + " sent no JSON for " + path, e);
        }
    }

    private CliException unreachable(Exception e) {
        return new CliException(ExitCodes.UNREACHABLE, "cannot reach the RabbitMQ management API at " + base + " ("
                + e.getClass().getSimpleName() + "); is the rabbitmq_management plugin enabled? "
                + "Set --management-url or RABBITMQ_MANAGEMENT_URL", e);
    }
}
