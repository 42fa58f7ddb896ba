package com.vivesphere.mq.common.broker;

import java.nio.file.Path;

import com.rabbitmq.client.impl.CredentialsProvider;

/**
 * A user whose password is read from its file at every connection: when the file is replaced (a rotated Secret),
 * the next connection, a recovery included, logs in with the new password and no restart is needed.
 */
final class PasswordFileCredentials implements CredentialsProvider {

    private final String username;
    private final Path passwordFile;

    PasswordFileCredentials(String username, Path passwordFile) {
        this.username = username;
        this.passwordFile = passwordFile;
    }

    @Override
    public String getUsername() {
        return username;
    }

    @Override
    public String getPassword() {
        return SecretFile.read(passwordFile);
    }
}
