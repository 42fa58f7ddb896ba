package com.vivesphere.mq.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.vivesphere.mq.testing.BrokerAdmin;
import com.vivesphere.mq.testing.OnFreshVhost;
import com.vivesphere.mq.common.topology.QueueType;
import com.vivesphere.mq.common.topology.Topology;
import com.vivesphere.mq.common.topology.TopologyDeclarer;
import com.vivesphere.mq.common.topology.TopologySettings;

import picocli.CommandLine;

/**
 * Runs mqctl's commands in this JVM (picocli configured as the packaged command is, no Quarkus start) against a
 * fresh vhost of the test broker.
 */
public abstract class CliTestBase extends OnFreshVhost {

    public record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    /** Runs {@code mqctl args...} with the connection options of the test broker and this test's vhost. */
    protected Result mqctl(String... args) {
        return mqctlAsIs(withBroker(args));
    }

    /** {@code args} and the connection options of the test broker and vhost that {@code args} does not set. */
    protected String[] withBroker(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        String[] defaults = { "--host", BrokerAdmin.HOST, "--port", String.valueOf(BrokerAdmin.PORT), "--username",
                BrokerAdmin.USERNAME, "--password", BrokerAdmin.PASSWORD, "--vhost", vhost, "--management-url",
                "http://" + BrokerAdmin.HOST + ":" + BrokerAdmin.MANAGEMENT_PORT };
        for (int i = 0; i < defaults.length; i += 2) {
            if (!all.contains(defaults[i])) {
                all.add(defaults[i]);
                all.add(defaults[i + 1]);
            }
        }
        return all.toArray(String[]::new);
    }

    /** Runs {@code mqctl args...} exactly as given. */
    protected static Result mqctlAsIs(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = MqctlCommandLine.configure(new CommandLine(new Mqctl()));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    protected Topology declareTopology(QueueType type) throws IOException {
        Topology topology = Topology.standard(new TopologySettings(type, TopologySettings.DEFAULTS.messageTtl(),
                TopologySettings.DEFAULTS.deadLetterTtl(), TopologySettings.DEFAULTS.deadLetterMaxBytes()));
        TopologyDeclarer.declare(connection, topology);
        return topology;
    }

    protected void publish(String exchange, String routingKey, AMQP.BasicProperties properties, String body) throws Exception {
        try (Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            channel.basicPublish(exchange, routingKey, true, properties, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(5_000);
        }
    }

    /** Everything in {@code queue}, taken (acked), head first. */
    protected List<com.rabbitmq.client.GetResponse> drain(String queue) throws Exception {
        List<com.rabbitmq.client.GetResponse> messages = new ArrayList<>();
        try (Channel channel = connection.createChannel()) {
            com.rabbitmq.client.GetResponse response;
            while ((response = channel.basicGet(queue, true)) != null) {
                messages.add(response);
            }
        }
        return messages;
    }

    protected static AMQP.BasicProperties properties(String messageId, Map<String, Object> headers) {
        return new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2).messageId(messageId)
                .type("LogEvent").timestamp(new Date()).headers(headers).build();
    }

    protected static Topology topology(QueueType type) {
        return Topology.standard(new TopologySettings(type, TopologySettings.DEFAULTS.messageTtl(),
                TopologySettings.DEFAULTS.deadLetterTtl(), TopologySettings.DEFAULTS.deadLetterMaxBytes()));
    }
}
