package com.vivesphere.mq.common.codec;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;

/**
 * Reads only an ISO-8601 string with an offset, as the schemas require; Jackson's own reader would also
 * take epoch numbers and so accept messages that the contract rejects.
 */
final class StrictOffsetDateTimeDeserializer extends StdScalarDeserializer<OffsetDateTime> {

    StrictOffsetDateTimeDeserializer() {
        super(OffsetDateTime.class);
    }

    @Override
    public OffsetDateTime deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (!parser.hasToken(JsonToken.VALUE_STRING)) {
            return (OffsetDateTime) context.handleUnexpectedToken(OffsetDateTime.class, parser);
        }
        String text = parser.getText();
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            return (OffsetDateTime) context.handleWeirdStringValue(OffsetDateTime.class, text,
                    "expected an ISO-8601 date-time with offset, e.g. 2026-11-26T10:15:30Z");
        }
    }
}
