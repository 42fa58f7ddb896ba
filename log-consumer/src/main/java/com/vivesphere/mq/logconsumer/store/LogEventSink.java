package com.vivesphere.mq.logconsumer.store;

import com.vivesphere.mq.common.message.LogEvent;

import io.smallrye.mutiny.Uni;

/** Where consumed log events go; the message is acked only when the returned {@link Uni} succeeds. */
public interface LogEventSink {

    Uni<Void> store(LogEvent event);
}
