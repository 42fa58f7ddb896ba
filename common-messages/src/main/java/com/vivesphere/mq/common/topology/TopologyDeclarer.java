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
        checkLogShards(channel.getConnection(), topology);
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

    /**
     * Refuses to route log events a second way beside the broker's: {@code log_queue} sharded there while this
     * application is configured unsharded, or into more shards than it would consume. (More shards here than
     * there is growing the shard count: the new ones are declared and the hash spreads over them.)
     */
    private static void checkLogShards(Connection connection, Topology topology) throws IOException {
        int shards = topology.logShards();
        if (shards == 1 && exists(connection, true, Topology.LOG_SHARD_EXCHANGE)) {
            throw TopologyMismatchException.explained(Topology.LOG_QUEUE, "log-shards", Topology.LOG_QUEUE
                    + " is sharded on this broker (exchange " + Topology.LOG_SHARD_EXCHANGE + " exists) but this application"
                    + " is configured with VIVESPHERE_TOPOLOGY_LOG_SHARDS=1: set it to the number of shards (queues "
                    + Topology.LOG_QUEUE + ".0 ...), the same for every application and mqctl");
        }
        String beyond = Topology.LOG_QUEUE + "." + shards;
        if (shards > 1 && exists(connection, false, beyond)) {
            throw TopologyMismatchException.explained(Topology.LOG_QUEUE, "log-shards", "queue " + beyond + " exists on this "
                    + "broker: " + Topology.LOG_QUEUE + " has more shards than VIVESPHERE_TOPOLOGY_LOG_SHARDS=" + shards
                    + ", and its events would wait in a shard no worker consumes: set the number of shards on the broker");
        }
    }

    /** Passive declaration, on a channel of its own: the broker closes the channel when the object is missing. */
    private static boolean exists(Connection connection, boolean exchange, String name) throws IOException {
        Channel channel = connection.createChannel();
        try {
            if (exchange) {
                channel.exchangeDeclarePassive(name);
            } else {
                channel.queueDeclarePassive(name);
            }
            return true;
        } catch (IOException e) {
            if (e.getCause() instanceof ShutdownSignalException signal && signal.getReason() instanceof AMQP.Channel.Close close
                    && close.getReplyCode() == AMQP.NOT_FOUND) {
                return false;
            }
            throw e;
        } finally {
            if (channel.isOpen()) {
                try {
                    channel.close();
                } catch (TimeoutException e) {
                    throw new IOException("timed out closing a checking channel", e);
                }
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
