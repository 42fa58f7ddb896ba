package com.vivesphere.mq.botworker.executor;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Actions in flight per bot, bounded so that one slow bot cannot take every slot of the prefetch. */
final class BotSlots {

    private final int perBot;
    private final Map<String, Integer> inFlight = new ConcurrentHashMap<>();

    BotSlots(int perBot) {
        this.perBot = perBot;
    }

    boolean tryAcquire(String botId) {
        boolean[] acquired = new boolean[1];
        inFlight.compute(botId, (id, count) -> {
            int current = count == null ? 0 : count;
            acquired[0] = current < perBot;
            return acquired[0] ? current + 1 : count;
        });
        return acquired[0];
    }

    void release(String botId) {
        inFlight.computeIfPresent(botId, (id, count) -> count == 1 ? null : count - 1);
    }
}
