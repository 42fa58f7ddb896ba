package com.vivesphere.mq.faults.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.vivesphere.mq.testing.AppEnvironment;
import com.vivesphere.mq.testing.BrokerAdmin;
import com.vivesphere.mq.testing.TestDatabase;
import com.vivesphere.mq.common.topology.DelayLevels;
import com.vivesphere.mq.common.topology.Topology;
import com.vivesphere.mq.testing.PackagedApp;

/**
 * What one scenario runs against: a vhost of its own (on the machine's broker, or {@code /} on broker nodes
 * the test started itself) and a PostgreSQL database of its own; both removed by {@link #close()}. Gives
 * the workers' environment and the test's own AMQP and SQL access.
 */
public final class Sandbox implements AutoCloseable {

    private static final BrokerAdmin ADMIN = new BrokerAdmin();

    private final List<Address> addresses;
    private final String username;
    private final String password;
    private final String vhost;
    private final boolean ownsVhost;
    private final String database;

    private Sandbox(List<Address> addresses, String username, String password, String vhost, boolean ownsVhost) {
        this.addresses = addresses;
        this.username = username;
        this.password = password;
        this.vhost = vhost;
        this.ownsVhost = ownsVhost;
        this.database = TestDatabase.create();
    }

    /** A fresh vhost on the machine's broker (5672), and a fresh database. */
    public static Sandbox onLocalBroker() {
        String vhost = ADMIN.createVhost();
        return new Sandbox(List.of(new Address(BrokerAdmin.HOST, BrokerAdmin.PORT)), BrokerAdmin.USERNAME,
                BrokerAdmin.PASSWORD, vhost, true);
    }

    /** Vhost {@code /} of broker nodes of the test's own (a cluster when several), and a fresh database. */
    public static Sandbox on(List<BrokerNode> nodes) {
        return new Sandbox(nodes.stream().map(n -> new Address(n.host(), n.port())).toList(), "guest", "guest", "/",
                false);
    }

    public String vhost() {
        return vhost;
    }

    public String database() {
        return database;
    }

    /** Environment of a worker pointed at this sandbox (production profile, guest allowed explicitly). */
    public Map<String, String> env() {
        return AppEnvironment.of(addresses, username, password, vhost, database);
    }

    public ConnectionFactory connectionFactory() {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUsername(username);
        factory.setPassword(password);
        factory.setVirtualHost(vhost);
        factory.setConnectionTimeout(3_000);
        factory.setAutomaticRecoveryEnabled(false);
        return factory;
    }

    /** A plain connection of the test (no automatic recovery) to the first node that answers. */
    public Connection connect(String name) {
        try {
            return connectionFactory().newConnection(addresses, name);
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("cannot connect to " + addresses, e);
        }
    }

    public List<Address> addresses() {
        return addresses;
    }

    /** Ready messages of queues, summed (passive declare: exact, unlike the management API's sampled counts). */
    public long ready(String... queues) {
        try (Connection connection = connect("fault-suite-count"); Channel channel = connection.createChannel()) {
            long sum = 0;
            for (String queue : queues) {
                sum += channel.queueDeclarePassive(queue).getMessageCount();
            }
            return sum;
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Ready messages of all delay levels (retries and deferred messages on their way back). */
    public long delayed() {
        String[] levels = new String[DelayLevels.LEVELS];
        for (int level = 0; level < levels.length; level++) {
            levels[level] = DelayLevels.level(level);
        }
        return ready(levels);
    }

    /**
     * Waits until nothing moves any more: the work queues and the delay levels are empty and the workers
     * received nothing new for 3 s. (After a lost connection a worker's own counts cannot settle: the
     * deliveries it held are redelivered, not acked.)
     */
    public void awaitQuiet(Duration atMost, PackagedApp... workers) {
        AtomicReference<Double> last = new AtomicReference<>(-1.0);
        await().during(Duration.ofSeconds(3)).atMost(atMost).pollInterval(Duration.ofMillis(500)).until(() -> {
            double received = 0;
            for (PackagedApp worker : workers) {
                received += worker.metricSum("vivesphere_messages_received_total");
            }
            boolean still = received == last.getAndSet(received);
            return still && ready(Topology.LOG_QUEUE, Topology.LOG_PRIORITY_QUEUE, Topology.BOT_ACTION_QUEUE) + delayed() == 0;
        });
    }

    /** Runs a SQL statement in this sandbox's database. */
    public void execute(String sql) {
        try (var connection = TestDatabase.connect(database); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** The single number a SQL query answers, in this sandbox's database. */
    public long count(String sql) {
        try (var connection = TestDatabase.connect(database); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Count of a table, 0 while it does not exist yet (the worker migrates its schema after it started). */
    public long rows(String table, String where) {
        try {
            return count("SELECT count(*) FROM " + table + " WHERE " + where);
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof SQLException sql && "42P01".equals(sql.getSQLState())) {
                return 0;
            }
            throw e;
        }
    }

    /** The first column of every row a query answers, as text. */
    public List<String> column(String sql) {
        List<String> values = new ArrayList<>();
        try (var connection = TestDatabase.connect(database); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                values.add(result.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Counts by the first column (text) of a two-column query. */
    public Map<String, Long> counts(String sql) {
        Map<String, Long> values = new HashMap<>();
        try (var connection = TestDatabase.connect(database); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                values.put(result.getString(1), result.getLong(2));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    @Override
    public void close() {
        try {
            TestDatabase.drop(database);
        } finally {
            if (ownsVhost) {
                ADMIN.deleteVhost(vhost);
            }
        }
    }
}
