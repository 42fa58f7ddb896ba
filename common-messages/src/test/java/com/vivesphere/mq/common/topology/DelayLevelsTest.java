package com.vivesphere.mq.common.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class DelayLevelsTest {

    @Test
    void theRoutingKeyWritesTheSecondsInBinaryMostSignificantBitFirst() {
        assertThat(DelayLevels.routingKey(Duration.ofSeconds(65), "bot_action_queue"))
                .isEqualTo("0.".repeat(15) + "1.0.0.0.0.0.1.bot_action_queue");
        assertThat(DelayLevels.routingKey(Duration.ZERO, "log_queue")).isEqualTo("0.".repeat(22) + "log_queue");
        assertThat(DelayLevels.routingKey(DelayLevels.MAX_DELAY, "q")).isEqualTo("1.".repeat(22) + "q");
    }

    @Test
    void delaysRoundUpToWholeSecondsSoNothingArrivesEarly() {
        assertThat(DelayLevels.seconds(Duration.ofMillis(1))).isEqualTo(1);
        assertThat(DelayLevels.seconds(Duration.ofMillis(4_001))).isEqualTo(5);
        assertThat(DelayLevels.seconds(Duration.ofSeconds(4))).isEqualTo(4);
        assertThat(DelayLevels.seconds(Duration.ofSeconds(-3))).isZero();
    }

    @Test
    void thirtyDaysFitAndLongerDelaysAreRefused() {
        assertThat(DelayLevels.seconds(Duration.ofDays(30))).isEqualTo(2_592_000);
        assertThat(DelayLevels.MAX_DELAY).isGreaterThan(Duration.ofDays(48));
        assertThatThrownBy(() -> DelayLevels.routingKey(DelayLevels.MAX_DELAY.plusSeconds(1), "q"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds the longest delay");
    }

    @Test
    void eachLevelMatchesItsOwnBit() {
        assertThat(DelayLevels.bitPattern(21, '1')).isEqualTo("1.#");
        assertThat(DelayLevels.bitPattern(0, '0')).isEqualTo("*.".repeat(21) + "0.#");
        assertThat(DelayLevels.level(6)).isEqualTo("delay_level_06");
        assertThat(DelayLevels.entryExchange()).isEqualTo("delay_level_21");
    }

    @Test
    void theTopologyChainsTheLevelsDownToTheDeliveryExchange() {
        Topology topology = Topology.standard(TopologySettings.DEFAULTS);
        assertThat(topology.queue("delay_level_06").arguments())
                .containsEntry("x-message-ttl", 64_000L)
                .containsEntry("x-dead-letter-exchange", "delay_level_05")
                .containsEntry("x-dead-letter-strategy", "at-least-once");
        assertThat(topology.queue("delay_level_00").arguments())
                .containsEntry("x-dead-letter-exchange", DelayLevels.DELIVERY_EXCHANGE);
        assertThat(topology.bindings()).contains(
                Topology.Binding.toExchange("delay_level_01", "delay_level_00", "*.".repeat(20) + "0.#"),
                Topology.Binding.toQueue(DelayLevels.DELIVERY_EXCHANGE, "bot_action_queue", "#.bot_action_queue"));
    }
}
