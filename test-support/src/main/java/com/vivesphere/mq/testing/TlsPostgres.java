package com.vivesphere.mq.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A PostgreSQL 15 instance of a test's own ({@code initdb} and {@code pg_ctl} from {@value #BIN}) that takes TLS
 * connections only: {@code ssl=on} with the server certificate of {@link Certificates} (for {@code localhost}),
 * {@code hostssl} lines alone in pg_hba.conf, so a plain TCP connection is refused. Trust authentication: the
 * tests are about the transport. On a free port, in a directory of its own, stopped and deleted on close.
 * initdb refuses to run as root: when the test runs as root, the instance runs as the system user
 * {@value #OS_USER} ({@code runuser}) in a directory that user owns.
 */
public final class TlsPostgres implements AutoCloseable {

    static final String BIN = "/usr/lib/postgresql/15/bin";
    static final String OS_USER = "postgres";
    public static final String USER = "postgres";

    private final Path directory;
    private final Path data;
    private final int port;
    private final Certificates certificates;

    private TlsPostgres(Path directory, int port, Certificates certificates) {
        this.directory = directory;
        this.data = directory.resolve("data");
        this.port = port;
        this.certificates = certificates;
    }

    /**
     * Creates and starts an instance in a new directory of the system's temporary directory: the system user
     * {@value #OS_USER} must reach it, and a checkout may lie below a directory only its owner may enter.
     */
    public static TlsPostgres start(Certificates certificates) {
        Path directory;
        try {
            directory = Files.createTempDirectory("vivesphere-tls-postgres-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TlsPostgres postgres = new TlsPostgres(directory, LoopbackPort.free(), certificates);
        try {
            postgres.asOwner("chown", OS_USER + ":", directory.toString());
            postgres.run(BIN + "/initdb", "-D", postgres.data.toString(), "-U", USER, "--auth=trust", "--no-sync");
            Path certificate = postgres.data.resolve("server.crt");
            Path key = postgres.data.resolve("server.key");
            Files.copy(certificates.serverCertificate(), certificate, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(certificates.serverKey(), key, StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(postgres.data.resolve("postgresql.conf"), """
                    port = %d
                    listen_addresses = 'localhost'
                    unix_socket_directories = '%s'
                    ssl = on
                    ssl_cert_file = 'server.crt'
                    ssl_key_file = 'server.key'
                    fsync = off
                    """.formatted(postgres.port, postgres.data), java.nio.file.StandardOpenOption.APPEND);
            Files.writeString(postgres.data.resolve("pg_hba.conf"), """
                    local all all trust
                    hostssl all all 127.0.0.1/32 trust
                    hostssl all all ::1/128 trust
                    """);
            postgres.asOwner("chown", "-R", OS_USER + ":", directory.toString());
            postgres.asOwner("chmod", "600", key.toString());
            postgres.run(BIN + "/pg_ctl", "-D", postgres.data.toString(), "-l", directory.resolve("postgres.log").toString(),
                    "-w", "start");
            return postgres;
        } catch (IOException | RuntimeException e) {
            postgres.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    public int port() {
        return port;
    }

    /** The URL a worker's reactive client takes, by {@code host} ({@code localhost} is the certificate's name). */
    public String reactiveUrl(String host, String database) {
        return "postgresql://" + host + ":" + port + "/" + database;
    }

    /** A connection over TLS that verifies the server as the workers do. */
    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/" + database + "?sslmode=verify-full"
                + "&sslrootcert=" + certificates.caCertificate(), USER, "");
    }

    public String createDatabase() {
        String name = "vs_tls_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection connection = connect("postgres"); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a database on the TLS instance at port " + port, e);
        }
        return name;
    }

    /** Stops the instance and deletes its directory. */
    @Override
    public void close() {
        if (Files.exists(data.resolve("postmaster.pid"))) {
            run(BIN + "/pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "stop");
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** A PostgreSQL command, as {@value #OS_USER} when the test is root. */
    private void run(String... command) {
        List<String> line = new ArrayList<>();
        if (root()) {
            line.addAll(List.of("runuser", "-u", OS_USER, "--"));
        }
        line.addAll(List.of(command));
        exec(line);
    }

    /** A file-ownership command, needed (and run) only when the test is root. */
    private void asOwner(String... command) {
        if (root()) {
            exec(List.of(command));
        }
    }

    private void exec(List<String> command) {
        ExternalCommand.run(new ProcessBuilder(command).directory(directory.toFile()), Duration.ofSeconds(120));
    }
}
