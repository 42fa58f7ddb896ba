package com.vivesphere.mq.faults.support;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import com.vivesphere.mq.testing.XApiStub;

/**
 * The traffic of the broker scenarios: log events with a post action every {@value #ACTION_EVERY} messages,
 * with ids derived from the scenario and the index, so a message published again keeps its id.
 */
public final class MixedTraffic {

    public static final int ACTION_EVERY = 25;

    private MixedTraffic() {
    }

    public static Traffic.Outgoing message(String scenario, int i) {
        if (i % ACTION_EVERY == 0) {
            return Traffic.botAction(id(scenario + "-action", i), "bot-" + (i / ACTION_EVERY % XApiStub.BOTS + 1), "POST",
                    "\"text\":\"" + text(scenario, i) + "\"");
        }
        return Traffic.logEvent(id(scenario, i), scenario);
    }

    public static String text(String scenario, int i) {
        return "fault-suite " + scenario + " post " + i;
    }

    public static UUID id(String scenario, int i) {
        return UUID.nameUUIDFromBytes((scenario + "/" + i).getBytes(StandardCharsets.UTF_8));
    }
}
