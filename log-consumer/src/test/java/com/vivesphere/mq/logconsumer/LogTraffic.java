package com.vivesphere.mq.logconsumer;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import org.eclipse.microprofile.config.ConfigProvider;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.vivesphere.mq.testing.MetricsScrape;
import com.vivesphere.mq.testing.TestDatabase;

import io.restassured.RestAssured;

/** Publishing by a plain AMQP client and reading what log-consumer stored, for the storage tests. */
final class LogTraffic {

    private LogTraffic() {
    }

    /** Publishes the bodies to exchange {@code logs} with publisher confirms (one wait for all). */
    static void publish(Connection connection, String routingKey, List<String> bodies) throws Exception {
        try (Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().contentType("application/json")
                    .deliveryMode(2).build();
            for (String body : bodies) {
                channel.basicPublish("logs", routingKey, true, properties, body.getBytes(StandardCharsets.UTF_8));
            }
            channel.waitForConfirmsOrDie(60_000);
        }
    }

    /** The rows of the application's database matching {@code where} (SQL, may be "true"). */
    static long rows(String where) throws Exception {
        String url = ConfigProvider.getConfig().getValue("quarkus.datasource.reactive.url", String.class);
        String database = url.substring(url.lastIndexOf('/') + 1);
        try (var connection = TestDatabase.connect(database); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT count(*) FROM log_events WHERE " + where)) {
            result.next();
            return result.getLong(1);
        } catch (java.sql.SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return 0; // the app has not migrated its schema yet (it starts without waiting for it)
            }
            throw e;
        }
    }

    static double acked(String queue) {
        return MetricsScrape.value(RestAssured.port, "vivesphere_messages_acked_total{queue=\"" + queue + "\"}");
    }
}
