package com.vivesphere.mq.logconsumer.store;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import com.vivesphere.mq.common.message.LogEvent;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Writes each event to this process's log in structured form (fields as MDC entries). */
@ApplicationScoped
public class StructuredLogSink implements LogEventSink {

    private static final Logger EVENTS = Logger.getLogger("vivesphere.log-events");

    @Override
    public CompletionStage<Void> store(LogEvent event) {
        if (EVENTS.isInfoEnabled()) {
            MDC.put("event.id", event.id().toString());
            MDC.put("event.service", event.service());
            MDC.put("event.level", event.level().name());
            MDC.put("event.timestamp", event.timestamp().toString());
            if (event.traceId() != null) {
                MDC.put("event.traceId", event.traceId());
            }
            try {
                EVENTS.infof("[%s] %s %s: %s", event.service(), event.level(), event.timestamp(), event.message());
            } finally {
                MDC.remove("event.id");
                MDC.remove("event.service");
                MDC.remove("event.level");
                MDC.remove("event.timestamp");
                MDC.remove("event.traceId");
            }
        }
        return CompletableFuture.completedFuture(null);
    }
}
