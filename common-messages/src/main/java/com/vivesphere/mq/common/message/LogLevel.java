package com.vivesphere.mq.common.message;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Severity of a {@link LogEvent}, lowest first, so {@link #ordinal()} orders them. */
@RegisterForReflection
public enum LogLevel {
    TRACE,
    DEBUG,
    INFO,
    WARN,
    ERROR,
    FATAL;

    /** Levels that must overtake a backlog of lower levels (routed to the priority queue, stored first). */
    public boolean isUrgent() {
        return this.compareTo(ERROR) >= 0;
    }
}
