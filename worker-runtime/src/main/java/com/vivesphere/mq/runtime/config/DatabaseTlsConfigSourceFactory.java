package com.vivesphere.mq.runtime.config;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;

/**
 * {@code VIVESPHERE_DATABASE_TLS_CONFIGURATION_NAME}: PostgreSQL over TLS with {@code verify-full} (the server's
 * certificate signed by the trusted CA and naming the host connected to), for both connections from one setting:
 * the reactive client the apps work on and the JDBC connection Flyway migrates on. The CA is the PEM file of the
 * named configuration of the TLS registry ({@code quarkus.tls.<name>.trust-store.pem.certs}), as for the broker.
 * The Quarkus 3.33 reactive PostgreSQL client does not read the TLS registry, so this source gives both clients
 * the same file and mode; ranked above the environment, a contradicting setting of those keys is refused rather
 * than silently lost.
 */
public class DatabaseTlsConfigSourceFactory implements ConfigSourceFactory {

    public static final String NAME_KEY = "vivesphere.database.tls-configuration-name";
    public static final String VARIABLE = "VIVESPHERE_DATABASE_TLS_CONFIGURATION_NAME";
    static final String MODE = "verify-full";
    static final int ORDINAL = EnvConfigSource.ORDINAL + 10;
    private static final String SOURCE_NAME = "database TLS (" + VARIABLE + ")";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        String name = valueOf(context, NAME_KEY);
        if (name == null) {
            return List.of();
        }
        String certsKey = "quarkus.tls." + name + ".trust-store.pem.certs";
        String certs = valueOf(context, certsKey);
        if (certs == null) {
            throw new IllegalStateException(VARIABLE + "=" + name + " names no TLS configuration with a CA: set "
                    + variableOf(certsKey) + " to the CA's PEM file (docs/configuration.md, TLS to the database)");
        }
        if (certs.contains(",")) {
            throw new IllegalStateException(variableOf(certsKey) + " lists several files; the migrations' JDBC driver "
                    + "takes one: put the database's CA certificates into one PEM file");
        }
        if (hasKeyStore(context, "quarkus.tls." + name + ".key-store.")) {
            throw new IllegalStateException("TLS configuration " + name + " has a key store: a client certificate for "
                    + "the database is not supported, the workers log in to PostgreSQL with a password");
        }
        Map<String, String> derived = new TreeMap<>();
        derived.put("quarkus.datasource.reactive.postgresql.ssl-mode", MODE);
        derived.put("quarkus.datasource.reactive.hostname-verification-algorithm", "HTTPS");
        derived.put("quarkus.datasource.reactive.trust-certificate-pem.certs", certs);
        derived.put("quarkus.datasource.jdbc.additional-jdbc-properties.sslmode", MODE);
        derived.put("quarkus.datasource.jdbc.additional-jdbc-properties.sslrootcert", certs);
        derived.forEach((key, value) -> {
            String set = setByUser(context, key);
            if (set != null && !set.equals(value)) {
                throw new IllegalStateException(variableOf(key) + "=" + set + " contradicts " + VARIABLE + "=" + name
                        + " (which makes it " + value + "): remove it");
            }
        });
        return List.of(new PropertiesConfigSource(derived, SOURCE_NAME, ORDINAL));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    private static boolean hasKeyStore(ConfigSourceContext context, String prefix) {
        for (Iterator<String> names = context.iterateNames(); names.hasNext();) {
            String key = names.next();
            if (key.startsWith(prefix) || key.startsWith(variableOf(prefix))) {
                return true;
            }
        }
        return false;
    }

    private static String valueOf(ConfigSourceContext context, String key) {
        ConfigValue value = context.getValue(key);
        return value == null || value.getValue() == null || value.getValue().isBlank() ? null : value.getValue().trim();
    }

    /** A value from a configuration source, not one of the defaults Quarkus records (ranked below every source). */
    private static String setByUser(ConfigSourceContext context, String key) {
        ConfigValue value = context.getValue(key);
        return value == null || value.getConfigSourceOrdinal() < 0 ? null : valueOf(context, key);
    }

    private static String variableOf(String key) {
        return key.toUpperCase().replaceAll("[^A-Z0-9]", "_");
    }
}
