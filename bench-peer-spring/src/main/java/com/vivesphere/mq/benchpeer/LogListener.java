package com.vivesphere.mq.benchpeer;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;

/**
 * Stores each batch of log events in one transaction, then acks the batch with one multiple ack. A body that
 * does not parse is rejected without requeue (to the queue's dead-letter exchange); the others are stored.
 */
@Component
public class LogListener {

    private static final Logger LOG = LoggerFactory.getLogger(LogListener.class);

    static final String INSERT = "INSERT INTO log_events (id, event_time, service, level, message, logger, trace_id, "
            + "span_id, attributes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT DO NOTHING";

    private final ObjectMapper mapper;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;

    public LogListener(ObjectMapper mapper, JdbcTemplate jdbc, TransactionTemplate transaction) {
        this.mapper = mapper;
        this.jdbc = jdbc;
        this.transaction = transaction;
    }

    private record Row(LogEventBody event, String attributes) {
    }

    @RabbitListener(queues = "log_queue")
    public void onBatch(List<Message> messages, Channel channel) throws IOException {
        List<Row> rows = new ArrayList<>(messages.size());
        long lastStored = -1;
        for (Message message : messages) {
            long tag = message.getMessageProperties().getDeliveryTag();
            try {
                LogEventBody event = mapper.readValue(message.getBody(), LogEventBody.class);
                if (event == null || !event.complete()) {
                    throw new IllegalArgumentException("a required field is missing");
                }
                Map<String, String> attributes = event.attributes() == null ? Map.of() : event.attributes();
                rows.add(new Row(event, mapper.writeValueAsString(attributes)));
                lastStored = tag;
            } catch (IOException | IllegalArgumentException e) {
                LOG.warn("rejecting message {}: {}", tag, e.getMessage());
                // Settled here, so never covered again: the batch's multiple ack below names the last stored
                // tag only, and a multiple ack skips tags already rejected.
                channel.basicReject(tag, false);
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        try {
            transaction.executeWithoutResult(status -> jdbc.batchUpdate(INSERT, new BatchPreparedStatementSetter() {
                @Override
                public void setValues(PreparedStatement ps, int i) throws SQLException {
                    LogEventBody event = rows.get(i).event();
                    ps.setObject(1, event.id());
                    ps.setObject(2, event.timestamp());
                    ps.setString(3, event.service());
                    ps.setShort(4, (short) event.level().ordinal());
                    ps.setString(5, event.message());
                    ps.setString(6, event.logger());
                    ps.setString(7, event.traceId());
                    ps.setString(8, event.spanId());
                    ps.setObject(9, rows.get(i).attributes(), Types.OTHER);
                }

                @Override
                public int getBatchSize() {
                    return rows.size();
                }
            }));
        } catch (RuntimeException e) {
            LOG.error("storing a batch of {} failed, requeueing it", rows.size(), e);
            channel.basicNack(lastStored, true, true);
            return;
        }
        channel.basicAck(lastStored, true);
    }
}
