package com.vivesphere.mq.common.topology;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;

/** Declares a {@link Topology} on a broker; declaring an identical topology again changes nothing. */
public final class TopologyDeclarer {

    private TopologyDeclarer() {
    }

    /**
     * @throws TopologyMismatchException when an exchange or queue exists with other arguments
     * @throws IOException when the broker cannot be reached or refuses for another reason
     */
    public static void declare(Connection connection, Topology topology) throws IOException {
        try (Channel channel = connection.createChannel()) {
            declare(channel, topology);
        } catch (TimeoutException e) {
            throw new IOException("timed out closing the declaration channel", e);
        }
    }

    /**
     * Declares on {@code channel}. With automatic recovery, keep the channel open: the client re-declares
     * recorded entities through the channel that declared them.
     */
    public static void declare(Channel channel, Topology topology) throws IOException {
        for (Topology.Exchange exchange : topology.exchanges()) {
            guard("exchange", exchange.name(),
                    () -> channel.exchangeDeclare(exchange.name(), exchange.type(), true, false, false, Map.of()));
        }
        for (Topology.Queue queue : topology.queues()) {
            guard("queue", queue.name(), () -> channel.queueDeclare(queue.name(), true, false, false, queue.arguments()));
        }
        for (Topology.Binding binding : topology.bindings()) {
            if (binding.toExchange()) {
                channel.exchangeBind(binding.destination(), binding.source(), binding.routingKey());
            } else {
                channel.queueBind(binding.destination(), binding.source(), binding.routingKey());
            }
        }
    }

    private interface Declaration {
        void run() throws IOException;
    }

    private static void guard(String kind, String name, Declaration declaration) throws IOException {
        try {
            declaration.run();
        } catch (IOException e) {
            if (e.getCause() instanceof ShutdownSignalException signal && isPreconditionFailed(signal)) {
                throw new TopologyMismatchException(kind, name, ((AMQP.Channel.Close) signal.getReason()).getReplyText());
            }
            if (e.getCause() instanceof ShutdownSignalException signal && signal.getReason() instanceof AMQP.Connection.Close close
                    && close.getReplyText().contains("invalid exchange type")) {
                throw new IOException("cannot declare " + kind + " " + name + " (" + close.getReplyText() + "): a sharded "
                        + Topology.LOG_QUEUE + " needs the broker plugin rabbitmq_consistent_hash_exchange enabled", e);
            }
            throw e;
        }
    }

    private static boolean isPreconditionFailed(ShutdownSignalException signal) {
        return !signal.isHardError() && signal.getReason() instanceof AMQP.Channel.Close close
                && close.getReplyCode() == AMQP.PRECONDITION_FAILED;
    }
}
