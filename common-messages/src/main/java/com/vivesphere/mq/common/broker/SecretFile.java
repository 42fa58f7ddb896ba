package com.vivesphere.mq.common.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A secret kept in a file of its own (a mounted Secret, a Docker secret): its content without one trailing line break. */
public final class SecretFile {

    private SecretFile() {
    }

    public static String read(Path file) {
        try {
            return withoutTrailingLineBreak(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the secret file " + file, e);
        }
    }

    static String withoutTrailingLineBreak(String content) {
        if (content.endsWith("\r\n")) {
            return content.substring(0, content.length() - 2);
        }
        return content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
    }
}
