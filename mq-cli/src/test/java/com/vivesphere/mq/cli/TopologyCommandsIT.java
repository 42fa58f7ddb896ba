package com.vivesphere.mq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.rabbitmq.client.Channel;
import com.vivesphere.mq.common.topology.DefinitionsExport;
import com.vivesphere.mq.common.topology.QueueType;
import com.vivesphere.mq.common.topology.Topology;
import com.vivesphere.mq.common.topology.TopologyResources;
import com.vivesphere.mq.common.topology.TopologySettings;

class TopologyCommandsIT extends CliTestBase {

    @Test
    void verifyOfAnEmptyVhostListsWhatIsMissingAndFails() {
        Result result = mqctl("topology", "verify");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(result.out()).contains("queue log_queue: missing (expected a durable quorum queue)",
                "exchange logs: missing", "binding logs -> queue log_queue [info.#]: missing",
                "difference(s) between vhost " + vhost);
    }

    @Test
    void applyDeclaresTheTopologyAndVerifyThenPasses() {
        Result apply = mqctl("topology", "apply", "--queue-type", "classic");
        Result verify = mqctl("topology", "verify", "--queue-type", "classic");

        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        Topology topology = Topology.standard(TopologySettings.DEFAULTS);
        assertThat(apply.out()).contains("declared on vhost " + vhost + ": " + topology.exchanges().size() + " exchanges, "
                + topology.queues().size() + " queues, " + topology.bindings().size() + " bindings");
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        assertThat(verify.out()).contains("vhost " + vhost + " matches the topology");
        assertThat(mqctl("topology", "verify").out()).as("quorum expected, classic found")
                .contains("queue log_queue: type is classic, expected quorum");
    }

    @Test
    void verifyListsEveryDifference() throws Exception {
        declareTopology(QueueType.CLASSIC);
        try (Channel channel = connection.createChannel()) {
            channel.queueDelete(Topology.LOG_QUEUE);
            channel.queueDeclare(Topology.LOG_QUEUE, true, false, false,
                    Map.of("x-queue-type", "classic", "x-message-ttl", 1000L, "x-max-length", 10L));
            channel.queueBind(Topology.LOG_QUEUE, Topology.LOG_EXCHANGE, "debug.#");
            channel.queueBind(Topology.BOT_ACTION_QUEUE, Topology.LOG_EXCHANGE, "#");
            channel.queueUnbind(Topology.DEAD_LETTER_QUEUE, Topology.DEAD_LETTER_EXCHANGE, "#");
            channel.exchangeDelete(Topology.BOT_ACTION_EXCHANGE);
        }

        Result result = mqctl("topology", "verify", "--queue-type", "classic");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(result.out()).contains(
                "queue log_queue: argument x-message-ttl is 1000, expected 604800000",
                "queue log_queue: argument x-max-length is 10, expected none",
                "queue log_queue: argument x-dead-letter-exchange missing, expected \"dlx\"",
                "binding logs -> queue log_queue [info.#]: missing",
                "binding logs -> queue bot_action_queue [#]: not in the topology",
                "binding dlx -> queue dead_letter_queue [#]: missing",
                "exchange bot_actions: missing");
        assertThat(result.out()).doesNotContain("[debug.#]: missing");
    }

    @Test
    void applyStopsAtAQueueWithOtherArgumentsAndNamesIt() throws Exception {
        try (Channel channel = connection.createChannel()) {
            channel.queueDeclare(Topology.LOG_QUEUE, true, false, false, Map.of("x-queue-type", "classic"));
        }

        Result result = mqctl("topology", "apply");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.REFUSED);
        assertThat(result.err()).contains("queue 'log_queue'", "x-message-ttl", "delete_queue log_queue");
    }

    @Test
    void exportPrintsTheDefinitionsDocument(@TempDir Path dir) throws Exception {
        Result standard = mqctlAsIs("topology", "export");
        Result classic = mqctlAsIs("topology", "export", "--queue-type", "classic", "--definitions-vhost", "staging",
                "-o", dir.resolve("d.json").toString());

        assertThat(standard.exitCode()).isZero();
        assertThat(standard.out()).isEqualTo(DefinitionsExport.render(Topology.standard(TopologySettings.DEFAULTS)));
        assertThat(classic.exitCode()).as(classic.toString()).isZero();
        assertThat(Files.readString(dir.resolve("d.json"))).contains("\"x-queue-type\" : \"classic\"", "\"vhost\" : \"staging\"")
                .doesNotContain("quorum");
    }

    @Test
    void exportWritesTheKubernetesResourcesOfTheSameTopology() {
        Result kubernetes = mqctlAsIs("topology", "export", "--format", "kubernetes");

        assertThat(kubernetes.exitCode()).as(kubernetes.toString()).isZero();
        assertThat(kubernetes.out()).isEqualTo(TopologyResources.render(Topology.standard(TopologySettings.DEFAULTS)));
    }
}
