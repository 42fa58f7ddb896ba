package com.vivesphere.mq.logconsumer.listener;

/** Reactive Messaging channel names of log-consumer; configured in application.properties, used by tests. */
public final class Channels {

    /** {@code log_queue}: TRACE to WARN. */
    public static final String LOG_EVENTS = "log-events";
    /** {@code log_priority_queue}: ERROR and FATAL, consumed on its own so they overtake a backlog. */
    public static final String URGENT_LOG_EVENTS = "urgent-log-events";

    private Channels() {
    }
}
