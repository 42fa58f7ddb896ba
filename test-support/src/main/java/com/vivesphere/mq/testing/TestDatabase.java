package com.vivesphere.mq.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Databases of their own for test classes on the local PostgreSQL (trust authentication), dropped
 * afterwards. Env {@code TEST_POSTGRES_HOST}, {@code TEST_POSTGRES_PORT}, {@code TEST_POSTGRES_USER},
 * {@code TEST_POSTGRES_PASSWORD} (defaults localhost, 5432, postgres, none).
 */
public final class TestDatabase {

    public static final String HOST = env("TEST_POSTGRES_HOST", "localhost");
    public static final int PORT = Integer.parseInt(env("TEST_POSTGRES_PORT", "5432"));
    public static final String USER = env("TEST_POSTGRES_USER", "postgres");
    /** Empty for {@code trust} authentication. */
    public static final String PASSWORD = env("TEST_POSTGRES_PASSWORD", "");

    private TestDatabase() {
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    public static String create() {
        String name = "vs_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("CREATE DATABASE " + name);
        return name;
    }

    public static void drop(String name) {
        execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    /** The URL of {@code database} as the workers' reactive client takes it ({@code QUARKUS_DATASOURCE_REACTIVE_URL}). */
    public static String reactiveUrl(String database) {
        return "postgresql://" + HOST + ":" + PORT + "/" + database;
    }

    public static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/" + database, USER, PASSWORD);
    }

    private static void execute(String sql) {
        try (Connection connection = connect("postgres"); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + HOST + ":" + PORT + ": " + sql, e);
        }
    }
}
