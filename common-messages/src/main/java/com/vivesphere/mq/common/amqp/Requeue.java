package com.vivesphere.mq.common.amqp;

/**
 * Nack metadata: put the message back in its queue instead of rejecting it to the queue's dead-letter
 * exchange (the default).
 */
public record Requeue() {
}
