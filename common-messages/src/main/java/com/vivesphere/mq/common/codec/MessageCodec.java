package com.vivesphere.mq.common.codec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.vivesphere.mq.common.failure.FailureReason;
import com.vivesphere.mq.common.failure.InvalidMessageException;

/**
 * Reads and writes the message records as JSON with the strictness of the JSON Schemas: no type coercion
 * (a number is not a string), enums by name only, no duplicate keys, no trailing content; unknown fields
 * are ignored for forward compatibility. Thread-safe.
 */
public final class MessageCodec {

    private static final int MAX_DETAIL_LENGTH = 300;

    private final ObjectMapper mapper;

    public MessageCodec() {
        this.mapper = strictMapper();
    }

    public static ObjectMapper strictMapper() {
        JsonMapper mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .addModule(new SimpleModule("strict-date-times")
                        .addDeserializer(OffsetDateTime.class, new StrictOffsetDateTimeDeserializer()))
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .build();
        // Each JSON shape is read only into its own kind of field: "1" is not a number, 1 is not a string.
        for (CoercionInputShape shape : CoercionInputShape.values()) {
            mapper.coercionConfigDefaults().setCoercion(shape, CoercionAction.Fail);
        }
        return mapper;
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /** A reader for one message type; hold on to it, readers are cheap to use and costly to create. */
    public <T> Decoder<T> decoderFor(Class<T> type) {
        return new Decoder<>(mapper.readerFor(type));
    }

    public byte[] encode(Object message) {
        try {
            return mapper.writeValueAsBytes(message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decodes one message type, mapping every failure to a {@link FailureReason} and a short detail. */
    public static final class Decoder<T> {
        private final ObjectReader reader;

        private Decoder(ObjectReader reader) {
            this.reader = reader;
        }

        public T decode(byte[] body) throws InvalidMessageException {
            try {
                T value = reader.readValue(body);
                if (value == null) {
                    throw new InvalidMessageException(FailureReason.SCHEMA_INVALID, "body is JSON null, expected an object");
                }
                return value;
            } catch (ValueInstantiationException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                throw offContractUnlessMalformed(body, cause.getMessage());
            } catch (StreamReadException e) {
                throw new InvalidMessageException(FailureReason.MALFORMED_JSON, cap(describe(e)));
            } catch (DatabindException e) {
                // Jackson wraps a syntax error met while binding a property; it is still a syntax error.
                if (e.getCause() instanceof StreamReadException syntax) {
                    throw new InvalidMessageException(FailureReason.MALFORMED_JSON, cap(describe(syntax)));
                }
                // An empty body, or more than one JSON value, is not a JSON document: malformed, not off-contract.
                if (e instanceof MismatchedInputException mismatch && notOneJsonDocument(mismatch)) {
                    throw new InvalidMessageException(FailureReason.MALFORMED_JSON, cap(describe(e)));
                }
                throw offContractUnlessMalformed(body, describe(e));
            } catch (IOException e) {
                throw new InvalidMessageException(FailureReason.MALFORMED_JSON, cap(e.getMessage()));
            }
        }

        /**
         * Binding stops at the first value off the contract, before it has read the rest; a syntax error further
         * on still makes the body malformed. The body is read a second time only on this failure path.
         */
        private InvalidMessageException offContractUnlessMalformed(byte[] body, String detail) {
            try (JsonParser parser = reader.createParser(body)) {
                int depth = 0;
                int values = 0;
                for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                    if (depth == 0 && ++values > 1) {
                        return new InvalidMessageException(FailureReason.MALFORMED_JSON,
                                cap("more than one JSON value, the second at line " + parser.currentLocation().getLineNr()
                                        + ", column " + parser.currentLocation().getColumnNr()));
                    }
                    if (token.isStructStart()) {
                        depth++;
                    } else if (token.isStructEnd()) {
                        depth--;
                    }
                }
            } catch (StreamConstraintsException e) {
                // deeper or longer than the reader allows: no syntax error, so the contract's verdict stands
                return new InvalidMessageException(FailureReason.SCHEMA_INVALID, cap(detail));
            } catch (StreamReadException e) {
                return new InvalidMessageException(FailureReason.MALFORMED_JSON, cap(describe(e)));
            } catch (IOException e) {
                return new InvalidMessageException(FailureReason.MALFORMED_JSON, cap(e.getMessage()));
            }
            return new InvalidMessageException(FailureReason.SCHEMA_INVALID, cap(detail));
        }
    }

    /** Jackson reports these two while binding, though they are about the document's syntax. */
    private static boolean notOneJsonDocument(MismatchedInputException e) {
        String message = e.getOriginalMessage();
        return message != null && (message.startsWith("No content to map") || message.startsWith("Trailing token"));
    }

    private static String describe(StreamReadException e) {
        var location = e.getLocation();
        String where = location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        return e.getOriginalMessage() + where;
    }

    private static String describe(DatabindException e) {
        String message = e instanceof JsonMappingException jme ? jme.getOriginalMessage() : e.getMessage();
        if (e instanceof JsonMappingException jme && !jme.getPath().isEmpty()) {
            String path = jme.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."));
            return path + ": " + firstLine(message);
        }
        return firstLine(message);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "invalid message";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    static String cap(String detail) {
        if (detail == null) {
            return "invalid message";
        }
        return detail.length() <= MAX_DETAIL_LENGTH ? detail : detail.substring(0, MAX_DETAIL_LENGTH) + "…";
    }
}
