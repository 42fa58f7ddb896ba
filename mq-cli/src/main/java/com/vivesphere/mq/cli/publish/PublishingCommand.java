package com.vivesphere.mq.cli.publish;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import com.rabbitmq.client.Connection;
import com.vivesphere.mq.cli.BrokerCommand;
import com.vivesphere.mq.cli.BrokerOptions;
import com.vivesphere.mq.cli.ExitCodes;
import com.vivesphere.mq.common.codec.MessageCodec;
import com.vivesphere.mq.common.failure.InvalidMessageException;
import com.vivesphere.mq.common.publish.MessagePublisher;

import picocli.CommandLine.Mixin;

/** Builds one message of type {@code T} from options or a file, then sends it (or copies of it) with confirms. */
abstract class PublishingCommand<T> extends BrokerCommand {

    protected final MessageCodec codec = new MessageCodec();

    @Mixin
    BrokerOptions broker;

    @Mixin
    TrafficOptions traffic;

    /** The message the field options describe (a new id each call unless one was given). */
    protected abstract T fromOptions();

    /** {@code message} with a new id, for the copies of {@code --count}. */
    protected abstract T withNewId(T message);

    protected abstract Outgoing outgoing(T message);

    protected abstract Class<T> type();

    @Override
    protected String where() {
        return broker.describe();
    }

    @Override
    protected int execute() throws Exception {
        if (traffic.count < 1) {
            throw usage("--count must be at least 1");
        }
        if (traffic.rate < 0) {
            throw usage("--rate must not be negative");
        }
        T first = traffic.file != null ? read(traffic.file) : build();
        long start = System.nanoTime();
        int confirmed;
        Outgoing single = outgoing(first);
        try (Connection connection = broker.connect("publish");
                MessagePublisher publisher = new MessagePublisher(connection, broker.timeout())) {
            confirmed = Traffic.send(publisher, traffic.count, traffic.rate,
                    i -> i == 0 ? single : outgoing(withNewId(first)), err());
        }
        if (traffic.count == 1) {
            out().println(single.id());
            err().println("published " + type().getSimpleName() + " " + single.id() + " to exchange '" + single.exchange()
                    + "' with key " + single.routingKey() + ", confirmed");
        } else {
            out().println("published " + confirmed + " " + type().getSimpleName() + " message(s) to exchange '"
                    + single.exchange() + "', all confirmed, " + Traffic.rate(confirmed, start));
        }
        return ExitCodes.OK;
    }

    private T build() {
        try {
            return fromOptions();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw usage("not a valid " + type().getSimpleName() + ": " + e.getMessage());
        }
    }

    private T read(Path file) throws IOException {
        byte[] json;
        try {
            json = "-".equals(file.toString()) ? System.in.readAllBytes() : Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw usage("no such file: " + file);
        }
        try {
            return codec.decoderFor(type()).decode(json);
        } catch (InvalidMessageException e) {
            throw usage(file + " is not a valid " + type().getSimpleName() + " (" + e.reason().code() + "): "
                    + e.getMessage());
        }
    }
}
