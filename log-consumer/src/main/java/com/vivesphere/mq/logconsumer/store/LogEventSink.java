package com.vivesphere.mq.logconsumer.store;

import com.vivesphere.mq.common.message.LogEvent;

import java.util.concurrent.CompletionStage;

/** Where consumed log events go; the message is acked only when the returned stage succeeds. */
public interface LogEventSink {

    CompletionStage<Void> store(LogEvent event);
}
