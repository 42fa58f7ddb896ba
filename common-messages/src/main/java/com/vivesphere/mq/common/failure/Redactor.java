package com.vivesphere.mq.common.failure;

import java.util.regex.Pattern;

/** Masks credentials in error texts before they leave the process (dead-letter headers, logs). */
public final class Redactor {

    private static final String MASK = "[REDACTED]";
    private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]+");
    private static final Pattern KEY_VALUE = Pattern.compile(
            "(?i)(\"?(?:access_?token|refresh_?token|client_?secret|password|passwd|secret|api_?key|authorization)\"?\\s*[:=]\\s*\"?)[^\\s\",}&]+");
    private static final Pattern URI_CREDENTIALS = Pattern.compile("(?i)(amqps?://[^:/\\s]+:)[^@\\s]+(@)");

    private Redactor() {
    }

    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        String redacted = BEARER.matcher(text).replaceAll("$1" + MASK);
        redacted = KEY_VALUE.matcher(redacted).replaceAll("$1" + MASK);
        return URI_CREDENTIALS.matcher(redacted).replaceAll("$1" + MASK + "$2");
    }

    /** Redacts, then cuts to {@code maxLength} characters. */
    public static String redact(String text, int maxLength) {
        String redacted = redact(text);
        return redacted == null || redacted.length() <= maxLength ? redacted : redacted.substring(0, maxLength) + "…";
    }
}
