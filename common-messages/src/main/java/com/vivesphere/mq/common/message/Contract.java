package com.vivesphere.mq.common.message;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Invariant checks shared by the message records. They throw {@link IllegalArgumentException} naming the
 * field, which the decoder reports as a schema violation; the JSON Schemas state the same rules.
 */
final class Contract {

    static final int SUPPORTED_SCHEMA_VERSION = 1;
    static final int MAX_NAME_LENGTH = 128;
    static final int MAX_ID_LENGTH = 64;

    private Contract() {
    }

    static void schemaVersion(int schemaVersion) {
        if (schemaVersion != SUPPORTED_SCHEMA_VERSION) {
            throw new IllegalArgumentException("schemaVersion: must be " + SUPPORTED_SCHEMA_VERSION + ", was " + schemaVersion);
        }
    }

    static <T> T required(String field, T value) {
        if (value == null) {
            throw new IllegalArgumentException(field + ": is required");
        }
        return value;
    }

    static String requiredText(String field, String value, int maxLength) {
        required(field, value);
        if (value.isBlank()) {
            throw new IllegalArgumentException(field + ": must not be blank");
        }
        return optionalText(field, value, maxLength);
    }

    static String optionalText(String field, String value, int maxLength) {
        if (value != null && value.length() > maxLength) {
            throw new IllegalArgumentException(field + ": longer than " + maxLength + " characters");
        }
        return value;
    }

    static Map<String, String> immutableStrings(String field, Map<String, String> map) {
        if (map == null) {
            return Map.of();
        }
        noNulls(field, map.values());
        return Map.copyOf(map);
    }

    static List<String> immutableStrings(String field, List<String> list) {
        if (list == null) {
            return List.of();
        }
        noNulls(field, list);
        return List.copyOf(list);
    }

    private static void noNulls(String field, Collection<?> values) {
        // Not values.contains(null): immutable collections throw on that question.
        for (Object value : values) {
            if (value == null) {
                throw new IllegalArgumentException(field + ": must not contain null");
            }
        }
    }
}
