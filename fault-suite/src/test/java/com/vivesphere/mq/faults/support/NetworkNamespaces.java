package com.vivesphere.mq.faults.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Network namespaces of the test's own ({@code ip netns}), each joined by a veth pair to a bridge of the
 * test's own in the root namespace, on a random private /24 ({@code 10.a.b.0/24}): namespace {@code i} has
 * {@code 10.a.b.i}, the bridge {@code 10.a.b.254} (so that processes of the root namespace, the workers and
 * the test, reach the namespaces). {@link #isolate} cuts one namespace off the network with iptables rules
 * inside it (its loopback still works, so its own tools still reach what runs in it); the machine's
 * interfaces and iptables rules are never touched. {@link #close()}, or the JVM's exit, removes it all.
 */
public final class NetworkNamespaces implements AutoCloseable {

    /** A namespace and its one address. */
    public record Namespace(String name, String address) {

        /** {@code command}, to be run inside this namespace. */
        public List<String> inside(List<String> command) {
            List<String> inside = new ArrayList<>(List.of("ip", "netns", "exec", name));
            inside.addAll(command);
            return inside;
        }
    }

    /** Networks not closed when the test JVM exits (a test interrupted by its timeout) are removed then. */
    private static final Set<NetworkNamespaces> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.forEach(NetworkNamespaces::close), "remove-network-namespaces"));
    }

    private final String bridge;
    private final List<Namespace> namespaces = new ArrayList<>();

    private NetworkNamespaces(String id) {
        this.bridge = "vs" + id + "br";
    }

    /** A bridge and {@code count} namespaces on it, with names and a subnet no other network of the machine uses. */
    public static NetworkNamespaces create(int count) {
        String id = UUID.randomUUID().toString().substring(0, 6);
        NetworkNamespaces network = new NetworkNamespaces(id);
        OPEN.add(network);
        try {
            String subnet = freeSubnet();
            run(List.of("ip", "link", "add", network.bridge, "type", "bridge"));
            run(List.of("ip", "addr", "add", subnet + ".254/24", "dev", network.bridge));
            run(List.of("ip", "link", "set", network.bridge, "up"));
            for (int i = 1; i <= count; i++) {
                network.add(new Namespace("vs-" + id + "-" + i, subnet + "." + i), "vs" + id + i);
            }
            return network;
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
    }

    private void add(Namespace namespace, String veth) {
        namespaces.add(namespace);
        run(List.of("ip", "netns", "add", namespace.name()));
        run(List.of("ip", "link", "add", veth + "h", "type", "veth", "peer", "name", veth + "n"));
        run(List.of("ip", "link", "set", veth + "n", "netns", namespace.name()));
        run(List.of("ip", "link", "set", veth + "h", "master", bridge, "up"));
        run(namespace.inside(List.of("ip", "addr", "add", namespace.address() + "/24", "dev", veth + "n")));
        run(namespace.inside(List.of("ip", "link", "set", veth + "n", "up")));
        run(namespace.inside(List.of("ip", "link", "set", "lo", "up")));
    }

    public List<Namespace> namespaces() {
        return List.copyOf(namespaces);
    }

    /** Drops every packet into and out of {@code namespace} but its loopback's: a partition, both ways. */
    public void isolate(Namespace namespace) {
        run(namespace.inside(List.of("iptables", "-w", "-A", "INPUT", "!", "-i", "lo", "-j", "DROP")));
        run(namespace.inside(List.of("iptables", "-w", "-A", "OUTPUT", "!", "-o", "lo", "-j", "DROP")));
    }

    /** Removes the rules of {@link #isolate}. */
    public void heal(Namespace namespace) {
        run(namespace.inside(List.of("iptables", "-w", "-D", "INPUT", "!", "-i", "lo", "-j", "DROP")));
        run(namespace.inside(List.of("iptables", "-w", "-D", "OUTPUT", "!", "-o", "lo", "-j", "DROP")));
    }

    /**
     * Kills what still runs in the namespaces (epmd, which a node starts as a daemon, or a node that did not
     * stop), deletes them (their veth pairs and iptables rules go with them) and the bridge.
     */
    @Override
    public void close() {
        for (Namespace namespace : namespaces) {
            Result pids = exec(List.of("ip", "netns", "pids", namespace.name()));
            for (String pid : pids.output().split("\\s+")) {
                if (pids.exit() == 0 && !pid.isBlank()) {
                    ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
            exec(List.of("ip", "netns", "delete", namespace.name()));
        }
        exec(List.of("ip", "link", "delete", bridge));
        OPEN.remove(this);
    }

    /** {@code 10.a.b}: a /24 that no route or address of the machine is in. */
    private static String freeSubnet() {
        String used = output(List.of("ip", "-4", "route")) + output(List.of("ip", "-4", "addr"));
        while (true) {
            String subnet = "10." + ThreadLocalRandom.current().nextInt(100, 250) + "." + ThreadLocalRandom.current().nextInt(0, 255);
            if (!Pattern.compile("(^|\\D)" + Pattern.quote(subnet + ".")).matcher(used).find()) {
                return subnet;
            }
        }
    }

    private static void run(List<String> command) {
        Result result = exec(command);
        if (result.exit() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + result.output());
        }
    }

    private static String output(List<String> command) {
        return exec(command).output();
    }

    private record Result(int exit, String output) {
    }

    /** Runs a command; cleaning up uses its result whatever the exit, so that it goes on after one step failed. */
    private static Result exec(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, output);
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
