package com.vivesphere.mq.runtime.intake;

import java.time.Instant;

/**
 * The time a decoded message stands for, which its end-to-end latency is measured from: what each app's message
 * says (a log event's own timestamp, a bot action's creation or its notBefore), given the AMQP {@code timestamp}
 * property the producer set (null when it set none). Null when the message names no time: nothing is recorded.
 */
@FunctionalInterface
public interface MessageTime<T> {

    Instant of(T message, Instant publishedAt);
}
