package com.vivesphere.mq.botworker.executor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BotSlotsTest {

    @Test
    void aBotGetsItsSlotsAndNoMoreWhileOtherBotsKeepTheirs() {
        BotSlots slots = new BotSlots(2);

        assertThat(slots.tryAcquire("slow")).isTrue();
        assertThat(slots.tryAcquire("slow")).isTrue();
        assertThat(slots.tryAcquire("slow")).isFalse();
        assertThat(slots.tryAcquire("other")).isTrue();

        slots.release("slow");
        assertThat(slots.tryAcquire("slow")).isTrue();
    }
}
