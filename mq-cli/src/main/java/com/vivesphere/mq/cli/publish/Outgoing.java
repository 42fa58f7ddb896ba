package com.vivesphere.mq.cli.publish;

import com.rabbitmq.client.AMQP;

/** One message to publish: where to, with which properties and body; {@code id} is for the operator. */
record Outgoing(String id, String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body) {
}
