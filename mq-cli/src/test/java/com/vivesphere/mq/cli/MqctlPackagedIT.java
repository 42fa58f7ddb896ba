package com.vivesphere.mq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.vivesphere.mq.testing.DeadLetters;
import com.vivesphere.mq.common.topology.QueueType;
import com.vivesphere.mq.common.topology.Topology;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainIntegrationTest;
import io.quarkus.test.junit.main.QuarkusMainLauncher;

/** The packaged command ({@code target/quarkus-app/quarkus-run.jar}, as the {@code mqctl} script runs it). */
@QuarkusMainIntegrationTest
class MqctlPackagedIT extends CliTestBase {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    @Test
    void theCommandRunsPackaged(QuarkusMainLauncher launcher) throws Exception {
        LaunchResult apply = launcher.launch(withBroker("topology", "apply", "--queue-type", "classic"));
        LaunchResult publish = launcher.launch(withBroker("publish", "log", "--level", "warn", "-m", "packaged"));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        LaunchResult unreachable = launcher.launch("status", "--port", String.valueOf(port), "--timeout", "2s");
        LaunchResult usage = launcher.launch("dlq", "replay", "--xyzzy");

        assertThat(apply.exitCode()).as(apply.getErrorOutput()).isZero();
        assertThat(apply.getOutput()).contains("declared on vhost " + vhost);
        assertThat(publish.exitCode()).as(publish.getErrorOutput()).isZero();
        assertThat(DeadLetters.ready(connection, Topology.LOG_QUEUE)).isEqualTo(1);
        assertThat(unreachable.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(unreachable.getErrorOutput()).contains("mqctl: cannot reach RabbitMQ");
        assertThat(usage.exitCode()).isEqualTo(ExitCodes.USAGE);
        // (the test launcher adds Quarkus' start and stop lines, at INFO, which mqctl itself does not log)
        assertThat(usage.getErrorStream()).filteredOn(line -> !line.contains("[io.quarkus]")).containsExactly("mqctl: Unknown option: '--xyzzy'",
                "Try 'mqctl dlq replay --help'.");
    }

    @Test
    void theLauncherScriptRunsIt() throws Exception {
        Process mqctl = new ProcessBuilder("bash", "mqctl", "dlq", "--help").redirectErrorStream(true).start();
        String output = new String(mqctl.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);

        assertThat(mqctl.waitFor()).as(output).isZero();
        assertThat(output).contains("Usage: mqctl dlq", "replay", "purge");
    }

    @Test
    void aReplayKilledHalfWayLeavesEveryMessageInOneQueueOrBothNeverNeither() throws Exception {
        declareTopology(QueueType.QUORUM);
        DeadLetterFixtures letters = new DeadLetterFixtures(connection);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 150; i++) {
            ids.add(letters.fromWorker(Topology.LOG_QUEUE, "processing-failed", "transient"));
        }
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar",
                JAR.toString()));
        command.addAll(List.of(withBroker("dlq", "replay", "--all", "--rate", "50")));
        assertThat(Files.exists(JAR)).isTrue();
        Process replay = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> DeadLetters.ready(connection, Topology.LOG_QUEUE) >= 20);
        } finally {
            replay.destroyForcibly().waitFor();
        }

        // The broker requeues what the killed connection held.
        await().atMost(Duration.ofSeconds(30)).until(() -> DeadLetters.ready(connection, Topology.LOG_QUEUE)
                + DeadLetters.ready(connection, Topology.DEAD_LETTER_QUEUE) >= ids.size());
        List<String> replayed = drain(Topology.LOG_QUEUE).stream().map(r -> r.getProps().getMessageId()).toList();
        List<String> left = drain(Topology.DEAD_LETTER_QUEUE).stream().map(r -> r.getProps().getMessageId()).toList();
        Set<String> everywhere = new HashSet<>(replayed);
        everywhere.addAll(left);
        assertThat(everywhere).isEqualTo(ids);
        assertThat(replayed.size()).isBetween(20, ids.size() - 1);
        assertThat(replayed.size() + left.size()).as("a duplicate at most for the one in flight")
                .isBetween(ids.size(), ids.size() + 1);
        assertThat(new HashSet<>(replayed)).hasSize(replayed.size());
    }
}
