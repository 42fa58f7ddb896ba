package com.vivesphere.mq.logconsumer.store;

import java.time.OffsetDateTime;

/** The events' times a query covers: {@code from} inclusive, {@code to} exclusive. */
public record TimeWindow(OffsetDateTime from, OffsetDateTime to) {
}
