package com.vivesphere.mq.logconsumer.store;

import java.util.concurrent.CompletionStage;

import com.vivesphere.mq.common.message.LogEvent;

/** Where consumed log events go; the message is acked only when the returned stage succeeds. */
public interface LogEventSink {

    CompletionStage<Void> store(LogEvent event);
}
