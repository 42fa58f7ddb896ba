package com.vivesphere.mq.common.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class DefinitionsExportTest {

    private static final Path BROKER_CONFIG = Path.of("..", "infrastructure", "message_queue");

    @Test
    void committedDefinitionsAreGeneratedFromTheCode() throws Exception {
        String committed = Files.readString(BROKER_CONFIG.resolve("definitions.json"));
        assertThat(committed)
                .as("infrastructure/message_queue/definitions.json is stale: regenerate it (docs/operations.md, 'Topology')")
                .isEqualTo(DefinitionsExport.render(Topology.standard(TopologySettings.DEFAULTS)));
    }

    @Test
    void committedShardedDefinitionsAreGeneratedFromTheCode() throws Exception {
        String committed = Files.readString(BROKER_CONFIG.resolve("sharded").resolve("definitions.json"));
        assertThat(committed)
                .as("infrastructure/message_queue/sharded/definitions.json is stale: regenerate it (docs/operations.md, 'Topology')")
                .isEqualTo(DefinitionsExport.render(Topology.standard(
                        TopologySettings.DEFAULTS.withLogShards(DefinitionsExport.EXAMPLE_SHARDS))));
    }

    @Test
    void committedKubernetesTopologyIsGeneratedFromTheCode() throws Exception {
        String committed = Files.readString(Path.of("..").resolve(TopologyResources.FILE));
        assertThat(committed)
                .as(TopologyResources.FILE + " is stale: regenerate it (docs/operations.md, 'Topology')")
                .isEqualTo(TopologyResources.render(Topology.standard(TopologySettings.DEFAULTS)));
    }

    @Test
    void definitionsHoldNoCredentials() throws Exception {
        for (Path file : new Path[] { BROKER_CONFIG.resolve("definitions.json"), BROKER_CONFIG.resolve("sharded/definitions.json") }) {
            assertThat(Files.readString(file)).doesNotContain("\"users\"", "password", "\"permissions\"");
        }
    }

    @Test
    void rabbitmqConfLoadsTheDefinitionsAndEnablesMetrics() throws Exception {
        String conf = Files.readString(BROKER_CONFIG.resolve("rabbitmq.conf"));
        assertThat(conf).containsPattern("(?m)^load_definitions = /etc/rabbitmq/definitions.d$");
        assertThat(conf).containsPattern("(?m)^max_message_size = \\d+$");
        assertThat(Files.readString(BROKER_CONFIG.resolve("enabled_plugins")))
                .contains("rabbitmq_management", "rabbitmq_prometheus", "rabbitmq_consistent_hash_exchange");
    }
}
