package com.vivesphere.mq.testing;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/**
 * The local test broker, seen through its management API and plain AMQP connections. Every test run works
 * in a vhost of its own ({@link #createVhost()}), deleted afterwards, so runs never see each other's queues.
 * Settings: env {@code TEST_RABBITMQ_HOST}, {@code TEST_RABBITMQ_PORT}, {@code TEST_RABBITMQ_MANAGEMENT_PORT},
 * {@code TEST_RABBITMQ_USERNAME}, {@code TEST_RABBITMQ_PASSWORD} (defaults: localhost, 5672, 15672, guest, guest).
 */
public final class BrokerAdmin {

    public static final String HOST = env("TEST_RABBITMQ_HOST", "localhost");
    public static final int PORT = Integer.parseInt(env("TEST_RABBITMQ_PORT", "5672"));
    public static final int MANAGEMENT_PORT = Integer.parseInt(env("TEST_RABBITMQ_MANAGEMENT_PORT", "15672"));
    public static final String USERNAME = env("TEST_RABBITMQ_USERNAME", "guest");
    public static final String PASSWORD = env("TEST_RABBITMQ_PASSWORD", "guest");

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** A new vhost with full permissions for the test user; its name is unique to this call. */
    public String createVhost() {
        String vhost = "vs-test-" + UUID.randomUUID().toString().substring(0, 8);
        send("PUT", "/api/vhosts/" + encode(vhost), "{}");
        send("PUT", "/api/permissions/" + encode(vhost) + "/" + encode(USERNAME),
                "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}");
        return vhost;
    }

    /** A new user with {@code password} and full permissions on {@code vhost}; its name is unique to this call. */
    public String createUser(String vhost, String password) {
        String user = "vs-test-user-" + UUID.randomUUID().toString().substring(0, 8);
        changePassword(user, password);
        send("PUT", "/api/permissions/" + encode(vhost) + "/" + encode(user),
                "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}");
        return user;
    }

    /** Sets a user's password (creating the user if there is none); open connections stay open. */
    public void changePassword(String user, String password) {
        send("PUT", "/api/users/" + encode(user), JSON.createObjectNode().put("password", password).put("tags", "").toString());
    }

    public void deleteUser(String user) {
        send("DELETE", "/api/users/" + encode(user), null);
    }

    public void deleteVhost(String vhost) {
        send("DELETE", "/api/vhosts/" + encode(vhost), null);
    }

    /** Imports a definitions document into {@code vhost} (its own vhost fields are ignored). */
    public void importDefinitions(String vhost, String definitionsJson) {
        send("POST", "/api/definitions/" + encode(vhost), definitionsJson);
    }

    /** The management API's view of a queue (arguments, type, message counts; counts lag by a few seconds). */
    public JsonNode queue(String vhost, String queue) {
        return json(send("GET", "/api/queues/" + encode(vhost) + "/" + encode(queue), null));
    }

    public JsonNode exchange(String vhost, String exchange) {
        return json(send("GET", "/api/exchanges/" + encode(vhost) + "/" + encode(exchange), null));
    }

    public JsonNode bindings(String vhost) {
        return json(send("GET", "/api/bindings/" + encode(vhost), null));
    }

    /** The client connections to {@code vhost}: broker's name to the name the client gave (or ""). */
    public Map<String, String> connections(String vhost) {
        Map<String, String> names = new java.util.HashMap<>();
        json(send("GET", "/api/vhosts/" + encode(vhost) + "/connections", null)).forEach(c -> names.put(c.get("name").asText(),
                c.path("client_properties").path("connection_name").asText("")));
        return names;
    }

    /** Closes a client connection from the broker's side, as a broker restart or a network cut would. */
    public void closeConnection(String name) {
        send("DELETE", "/api/connections/" + encode(name), null);
    }

    public ConnectionFactory connectionFactory(String vhost) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(HOST);
        factory.setPort(PORT);
        factory.setUsername(USERNAME);
        factory.setPassword(PASSWORD);
        factory.setVirtualHost(vhost);
        return factory;
    }

    public Connection connect(String vhost) {
        try {
            return connectionFactory(vhost).newConnection("vivesphere-test");
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("cannot connect to the test broker at " + HOST + ":" + PORT, e);
        }
    }

    /** Configuration that points an application at {@code vhost} of the test broker. */
    public static Map<String, String> applicationConfig(String vhost) {
        return Map.of(
                "rabbitmq-host", HOST,
                "rabbitmq-port", String.valueOf(PORT),
                "rabbitmq-username", USERNAME,
                "rabbitmq-password", PASSWORD,
                "rabbitmq-virtual-host", vhost);
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private String send(String method, String path, String body) {
        String auth = Base64.getEncoder().encodeToString((USERNAME + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + MANAGEMENT_PORT + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + auth)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("management API of the test broker not reachable at " + HOST + ":" + MANAGEMENT_PORT
                    + " (is the rabbitmq_management plugin enabled?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
