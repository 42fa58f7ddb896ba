package com.vivesphere.mq.cli;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.vivesphere.mq.common.broker.BrokerSettings;

import picocli.CommandLine.Option;

/**
 * Where the broker is and who connects: the same environment variables as the apps ({@code RABBITMQ_*}),
 * each overridable by an option. Read into the apps' own {@link BrokerSettings}.
 */
public class BrokerOptions {

    @Option(names = "--host", defaultValue = "${env:RABBITMQ_HOST:-localhost}", paramLabel = "HOST",
            description = "Broker host (env RABBITMQ_HOST; default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "${env:RABBITMQ_PORT:-5672}", paramLabel = "PORT",
            description = "Broker AMQP port (env RABBITMQ_PORT; default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--addresses", defaultValue = "${env:RABBITMQ_ADDRESSES}", paramLabel = "H1:P1,H2:P2",
            description = "Cluster address list; overrides --host and --port (env RABBITMQ_ADDRESSES).")
    String addresses;

    @Option(names = "--username", defaultValue = "${env:RABBITMQ_USERNAME:-guest}", paramLabel = "USER",
            description = "Broker user (env RABBITMQ_USERNAME; default ${DEFAULT-VALUE}).")
    String username;

    @Option(names = "--password", defaultValue = "${env:RABBITMQ_PASSWORD:-guest}", paramLabel = "PASSWORD",
            arity = "0..1", interactive = true, prompt = "RabbitMQ password: ",
            description = "Broker password (env RABBITMQ_PASSWORD, preferred: a command line is visible to other users). "
                    + "Without a value, asks for it.")
    String password;

    @Option(names = "--vhost", defaultValue = "${env:RABBITMQ_VHOST:-/}", paramLabel = "VHOST",
            description = "Virtual host (env RABBITMQ_VHOST; default ${DEFAULT-VALUE}).")
    String vhost;

    @Option(names = "--ssl", defaultValue = "${env:RABBITMQ_SSL:-false}",
            description = "Connect with TLS, verifying the host name (env RABBITMQ_SSL).")
    boolean ssl;

    @Option(names = "--management-url", defaultValue = "${env:RABBITMQ_MANAGEMENT_URL}", paramLabel = "URL",
            description = "Management HTTP API (env RABBITMQ_MANAGEMENT_URL; default http://HOST:15672, "
                    + "HOST being the first broker host).")
    String managementUrl;

    @Option(names = "--timeout", defaultValue = "10s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Connection, confirm and HTTP timeout (default ${DEFAULT-VALUE}).")
    Duration timeout;

    public BrokerSettings config() {
        return new BrokerSettings(host, port, Optional.ofNullable(addresses), username, password, vhost, ssl);
    }

    public String vhost() {
        return vhost;
    }

    public Duration timeout() {
        return timeout;
    }

    /** Where the broker is, for messages (never the credentials). */
    public String describe() {
        return config().describe();
    }

    /** A new connection named {@code mqctl <purpose>} (the name shows in the management UI). */
    public Connection connect(String purpose) throws IOException, TimeoutException {
        BrokerSettings config = config();
        ConnectionFactory factory = config.connectionFactory((int) timeout.toMillis());
        factory.setRequestedHeartbeat(30);
        factory.setChannelRpcTimeout((int) timeout.toMillis());
        return factory.newConnection(config.addresses(), "mqctl " + purpose);
    }

    public ManagementApi management() {
        return new ManagementApi(managementUri(), vhost, username, password, timeout);
    }

    URI managementUri() {
        if (managementUrl != null && !managementUrl.isBlank()) {
            return URI.create(managementUrl.endsWith("/") ? managementUrl.substring(0, managementUrl.length() - 1) : managementUrl);
        }
        Address first = config().addresses()[0];
        return URI.create("http://" + first.getHost() + ":15672");
    }
}
