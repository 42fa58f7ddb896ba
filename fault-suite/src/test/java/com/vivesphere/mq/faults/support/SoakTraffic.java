package com.vivesphere.mq.faults.support;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import com.vivesphere.mq.common.topology.Topology;
import com.vivesphere.mq.testing.XApiStub;

/**
 * The soak's traffic: message {@code i} of a sequence is a post action every {@value #ACTION_EVERY} messages and a
 * log event otherwise; every {@value #INVALID_EVERY}th event is off the contract (level {@code LOUD}), every
 * {@value #FAULT_EVERY}th action is answered 429 once by the X stub and another one 503 once. What message
 * {@code i} is follows from {@code i} alone, so the counts expected at the end follow from how many were published.
 */
public final class SoakTraffic {

    /** 2,050 messages a second make 2,000 events and 50 actions. */
    public static final int ACTION_EVERY = 41;
    public static final int INVALID_EVERY = 100;
    public static final int FAULT_EVERY = 100;

    public enum Kind {
        EVENT, INVALID_EVENT, ACTION, THROTTLED_ACTION, UNAVAILABLE_ACTION
    }

    private SoakTraffic() {
    }

    public static Kind kind(int i) {
        if (i % ACTION_EVERY == 0) {
            int action = i / ACTION_EVERY;
            return switch (action % FAULT_EVERY) {
                case 17 -> Kind.THROTTLED_ACTION;
                case 67 -> Kind.UNAVAILABLE_ACTION;
                default -> Kind.ACTION;
            };
        }
        int event = i - i / ACTION_EVERY - 1;
        return event % INVALID_EVERY == INVALID_EVERY - 1 ? Kind.INVALID_EVENT : Kind.EVENT;
    }

    public static Traffic.Outgoing message(String scenario, int i) {
        UUID id = MixedTraffic.id(scenario, i);
        return switch (kind(i)) {
            case EVENT -> Traffic.logEvent(id, scenario);
            case INVALID_EVENT -> new Traffic.Outgoing(Topology.LOG_EXCHANGE, "info." + scenario,
                    Traffic.json(id.toString(), "LogEvent"),
                    Traffic.logEventJson(id, scenario, "LOUD", "off the contract").getBytes(StandardCharsets.UTF_8));
            case ACTION, THROTTLED_ACTION, UNAVAILABLE_ACTION -> Traffic.botAction(id, "bot-" + (i / ACTION_EVERY
                    % XApiStub.BOTS + 1), "POST", "\"text\":\"" + text(scenario, i) + "\"");
        };
    }

    /** The text of action {@code i}: its prefix tells the X stub to refuse it once. */
    public static String text(String scenario, int i) {
        String prefix = switch (kind(i)) {
            case THROTTLED_ACTION -> XApiStub.THROTTLED_ONCE;
            case UNAVAILABLE_ACTION -> XApiStub.UNAVAILABLE_ONCE;
            default -> "";
        };
        return prefix + MixedTraffic.text(scenario, i);
    }
}
