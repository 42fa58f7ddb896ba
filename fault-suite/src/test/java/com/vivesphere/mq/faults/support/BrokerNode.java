package com.vivesphere.mq.faults.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.vivesphere.mq.testing.ExternalCommand;
import com.vivesphere.mq.testing.LoopbackPort;
import com.vivesphere.mq.testing.ProjectRoot;

/**
 * A RabbitMQ node of the test's own, on loopback ports and with a node name, files and Erlang cookie of its
 * own, so that the test may stop, restart or cluster it. The machine's broker (5672) is never touched: every
 * {@code rabbitmqctl} call names this node. Configured like production
 * ({@code infrastructure/message_queue/rabbitmq.conf}: its message size limit), with only the consistent-hash
 * exchange plugin (a sharded log_queue) so that it starts fast. {@link #close()} stops it and removes its files.
 * A node of {@link #cluster(String, List, String)} runs instead in a network namespace of the test's own, on that
 * namespace's address, so that the test can cut it off the network.
 */
public final class BrokerNode implements AutoCloseable {

    private static final Path BIN = Path.of(System.getProperty("fault.rabbitmq.bin", "/usr/lib/rabbitmq/bin"));
    private static final Duration START = Duration.ofSeconds(120);
    /** Nodes still running when the test JVM exits (a test interrupted by its timeout) are killed. */
    private static final java.util.Set<BrokerNode> RUNNING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(BrokerNode::killBeam), "kill-broker-nodes"));
    }

    private final String name;
    /** Where it runs: null on loopback, else the namespace whose address it listens on. */
    private final NetworkNamespaces.Namespace namespace;
    private final int port;
    private final int distPort;
    private final Path home;
    private final Path base;
    private final Path pidFile;
    private final boolean advanced;
    private Process server;

    private BrokerNode(String name, NetworkNamespaces.Namespace namespace, int port, Path home, String extraConfig,
            List<String> extraPlugins, String advancedConfig) {
        this.name = name;
        this.namespace = namespace;
        this.port = port;
        this.distPort = LoopbackPort.free();
        this.home = home;
        this.base = home.resolve(name.substring(0, name.indexOf('@')));
        this.pidFile = base.resolve("pid");
        this.advanced = !advancedConfig.isEmpty();
        try {
            Files.createDirectories(base);
            Path cookie = home.resolve(".erlang.cookie");
            if (!Files.exists(cookie)) {
                Files.writeString(cookie, "FAULTSUITE" + UUID.randomUUID().toString().replace("-", "").toUpperCase());
                Files.setPosixFilePermissions(cookie, PosixFilePermissions.fromString("r--------"));
            }
            // x509 authentication's mechanism is offered only where a node's auth_mechanisms name it
            List<String> plugins = new ArrayList<>(List.of("rabbitmq_consistent_hash_exchange", "rabbitmq_auth_mechanism_ssl"));
            plugins.addAll(extraPlugins);
            Files.writeString(base.resolve("enabled_plugins"), "[" + String.join(",", plugins) + "].\n");
            // in a namespace, clients (the test's guest too) come over the bridge, not loopback
            String network = namespace == null ? "" : "loopback_users.guest = false\n";
            Files.writeString(base.resolve("rabbitmq.conf"), productionLimits() + network + extraConfig);
            if (advanced) {
                Files.writeString(base.resolve("advanced.config"), advancedConfig);
            }
            if (namespace != null) {
                // the machine's rabbitmq-env.conf binds epmd and the distribution to loopback, out of the other nodes' reach
                Files.writeString(base.resolve("rabbitmq-env.conf"), "");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a single node on a free port; {@code extraConfig}: rabbitmq.conf lines (e.g. TLS listeners). */
    public static BrokerNode start(String label, String extraConfig) {
        return start(label, extraConfig, List.of(), "");
    }

    /**
     * Starts a single node with, besides {@code extraConfig}, more plugins ({@code rabbitmq_management} slows the
     * start, so only where a test needs it) and, unless empty, an {@code advanced.config} of {@code advancedConfig}
     * (an Erlang term: for the settings rabbitmq.conf cannot name, e.g. {@code channel_tick_interval}).
     */
    public static BrokerNode start(String label, String extraConfig, List<String> extraPlugins, String advancedConfig) {
        Path home = Figures.output().resolve("nodes").resolve(label + "-" + UUID.randomUUID().toString().substring(0, 6));
        BrokerNode node = new BrokerNode("vsfault-" + home.getFileName() + "@localhost", null, LoopbackPort.free(), home,
                extraConfig, extraPlugins, advancedConfig);
        node.start();
        return node;
    }

    /** Starts {@code size} nodes and joins them into one cluster (the first one's). */
    public static List<BrokerNode> cluster(String label, int size) {
        Path home = Figures.output().resolve("nodes").resolve(label + "-" + UUID.randomUUID().toString().substring(0, 6));
        List<BrokerNode> nodes = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            nodes.add(new BrokerNode("vsfault-" + home.getFileName() + "-" + i + "@localhost", null, LoopbackPort.free(), home, "",
                    List.of(), ""));
        }
        return join(nodes);
    }

    /**
     * Starts a node in each namespace (long node name {@code vsfault-...@<its address>}, epmd of its own there) and
     * joins them into one cluster; {@code extraConfig}: rabbitmq.conf lines of every node (e.g. partition handling).
     */
    public static List<BrokerNode> cluster(String label, List<NetworkNamespaces.Namespace> namespaces, String extraConfig) {
        Path home = Figures.output().resolve("nodes").resolve(label + "-" + UUID.randomUUID().toString().substring(0, 6));
        List<BrokerNode> nodes = new ArrayList<>();
        for (int i = 0; i < namespaces.size(); i++) {
            NetworkNamespaces.Namespace namespace = namespaces.get(i);
            nodes.add(new BrokerNode("vsfault-" + home.getFileName() + "-" + (i + 1) + "@" + namespace.address(), namespace,
                    LoopbackPort.free(), home, extraConfig, List.of(), ""));
        }
        return join(nodes);
    }

    private static List<BrokerNode> join(List<BrokerNode> nodes) {
        int size = nodes.size();
        nodes.forEach(BrokerNode::launch);
        nodes.forEach(BrokerNode::awaitUp);
        for (BrokerNode node : nodes.subList(1, size)) {
            node.ctl("stop_app");
            node.ctl("join_cluster", nodes.get(0).name);
            node.ctl("start_app");
        }
        nodes.forEach(BrokerNode::awaitUp);
        return nodes;
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    /** The host clients connect to. */
    public String host() {
        return namespace == null ? "localhost" : namespace.address();
    }

    /** The namespace it runs in; only for a node of {@link #cluster(String, List, String)}. */
    public NetworkNamespaces.Namespace namespace() {
        if (namespace == null) {
            throw new IllegalStateException(name + " runs on loopback, in no namespace of its own");
        }
        return namespace;
    }

    /** Starts the node (again) and waits until it accepts AMQP connections. */
    public void start() {
        launch();
        awaitUp();
    }

    private void launch() {
        ProcessBuilder builder = new ProcessBuilder(where(List.of(BIN.resolve("rabbitmq-server").toString())))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(base.resolve("console.log").toFile()));
        Map<String, String> env = builder.environment();
        environment(env);
        env.put("RABBITMQ_NODENAME", name);
        env.put("RABBITMQ_NODE_IP_ADDRESS", namespace == null ? "127.0.0.1" : namespace.address());
        env.put("RABBITMQ_NODE_PORT", String.valueOf(port));
        env.put("RABBITMQ_DIST_PORT", String.valueOf(distPort));
        env.put("RABBITMQ_MNESIA_BASE", base.resolve("mnesia").toString());
        env.put("RABBITMQ_LOG_BASE", base.resolve("log").toString());
        env.put("RABBITMQ_CONFIG_FILE", base.resolve("rabbitmq.conf").toString());
        env.put("RABBITMQ_ENABLED_PLUGINS_FILE", base.resolve("enabled_plugins").toString());
        env.put("RABBITMQ_PID_FILE", pidFile.toString());
        if (advanced) {
            env.put("RABBITMQ_ADVANCED_CONFIG_FILE", base.resolve("advanced.config").toString());
        }
        try {
            server = builder.start();
            RUNNING.add(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitUp() {
        await().atMost(START).pollInterval(Duration.ofMillis(200))
                .failFast("node " + name + " exited; see " + base.resolve("console.log"), () -> !server.isAlive())
                .until(this::accepts);
    }

    /** Whether an AMQP connection can be opened now. */
    public boolean accepts() {
        try (Connection ignored = factory().newConnection("fault-suite-probe")) {
            return true;
        } catch (IOException | TimeoutException e) {
            return false;
        }
    }

    /** Stops the node ({@code rabbitmqctl stop}: connections are closed, queues and messages are kept on disk). */
    public void stop() {
        ctl("stop");
        if (server != null) {
            try {
                if (!server.waitFor(60, TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public boolean isRunning() {
        return server != null && server.isAlive();
    }

    public ConnectionFactory factory() {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(host());
        factory.setPort(port);
        factory.setConnectionTimeout(2_000);
        factory.setAutomaticRecoveryEnabled(false);
        return factory;
    }

    /** Closes, from the broker's side, every connection whose client named it {@code connectionName}; returns how many. */
    public int closeConnections(String connectionName, String reason) {
        int closed = 0;
        for (String line : ctl("list_connections", "--silent", "pid", "client_properties").split("\n")) {
            if (line.contains("{\"connection_name\",\"" + connectionName + "\"}")) {
                ctl("close_connection", line.substring(0, line.indexOf('\t')).trim(), reason);
                closed++;
            }
        }
        return closed;
    }

    /** Runs {@code rabbitmqctl -n <this node> args...} and returns its output; fails on a non-zero exit. */
    public String ctl(String... args) {
        return tool("rabbitmqctl", args);
    }

    /** The node leading {@code queue}, as {@code asking} (a running node) sees it. */
    public static BrokerNode leaderOf(List<BrokerNode> nodes, BrokerNode asking, String queue) {
        String leader = row(asking.ctl("list_queues", "--silent", "name", "leader"), queue);
        return nodes.stream().filter(n -> leader.contains(n.name())).findFirst()
                .orElseThrow(() -> new IllegalStateException("no leader for " + queue + ": " + leader));
    }

    /** The line of {@code queue} in a {@code list_queues --silent} table. */
    public static String row(String table, String queue) {
        for (String line : table.split("\n")) {
            if (line.startsWith(queue + "\t")) {
                return line;
            }
        }
        throw new IllegalStateException(queue + " not listed: " + table);
    }

    /** Runs {@code rabbitmq-queues -n <this node> args...}. */
    public String queues(String... args) {
        return tool("rabbitmq-queues", args);
    }

    private String tool(String tool, String... args) {
        List<String> command = new ArrayList<>(List.of(BIN.resolve(tool).toString(), "-n", name));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(where(command));
        environment(builder.environment());
        return ExternalCommand.run(builder, Duration.ofSeconds(120));
    }

    /** {@code command} as run where the node runs: in its namespace, if it has one. */
    private List<String> where(List<String> command) {
        return namespace == null ? command : namespace.inside(command);
    }

    /**
     * What both the server and its tools need: its home (the cookie) and, in a namespace, long names; a tool names
     * itself after {@code RABBITMQ_NODENAME}'s host, so that the other nodes can answer it (listing connections or
     * queues gathers from every node), rather than after the machine's hostname, loopback in every namespace.
     */
    private void environment(Map<String, String> env) {
        env.put("HOME", home.toString());
        if (namespace != null) {
            env.put("RABBITMQ_NODENAME", name);
            env.put("RABBITMQ_USE_LONGNAME", "true");
            env.put("RABBITMQ_CONF_ENV_FILE", base.resolve("rabbitmq-env.conf").toString());
        }
    }

    /** Stops the node if it runs (killing it if it does not stop) and removes its files. */
    @Override
    public void close() {
        if (isRunning()) {
            try {
                stop();
            } catch (RuntimeException e) {
                killBeam();
            }
        }
        killBeam();
        RUNNING.remove(this);
        deleteQuietly(base.resolve("mnesia"));
    }

    private void killBeam() {
        try {
            if (Files.exists(pidFile)) {
                long pid = Long.parseLong(Files.readString(pidFile).trim());
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        } catch (IOException | NumberFormatException e) {
            // no pid: nothing to kill
        }
        if (server != null) {
            server.destroyForcibly();
        }
    }

    /** The message size limit of the production broker configuration, so this node refuses what production refuses. */
    private static String productionLimits() {
        Path conf = ProjectRoot.resolve("infrastructure/message_queue/rabbitmq.conf");
        StringBuilder limits = new StringBuilder("# from infrastructure/message_queue/rabbitmq.conf\n");
        try {
            for (String line : Files.readAllLines(conf)) {
                if (line.startsWith("max_message_size")) {
                    limits.append(line).append('\n');
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return limits.toString();
    }

    private static void deleteQuietly(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (var paths = Files.walk(directory)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // left behind under target/
        }
    }
}
