package com.vivesphere.mq.cli.dlq;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.AMQP;
import com.vivesphere.mq.common.failure.FailureHeaders;

/**
 * What a replayed message carries: the dead letter's body and properties unchanged, its headers without the
 * failure headers, the attempt history with the replay (and a broker dead-lettering) added.
 *
 * <ul>
 * <li>Every {@code x-vs-*} header but the history goes: the reason, class and error describe a failure that is
 * over; {@code x-vs-attempts} and {@code x-vs-throttled} restart at 0, so the worker gives the message a full
 * retry budget; the origin headers are written again by the worker if it fails anew (it keeps existing
 * ones, which would be wrong after a replay elsewhere with {@code --to}).</li>
 * <li>The broker's {@code x-death}, {@code x-first-death-*} and {@code x-last-death-*} go: RabbitMQ drops a
 * message it believes is in a dead-letter cycle. {@code x-delivery-count} and {@code x-acquired-count}
 * belonged to the dead-letter queue's delivery.</li>
 * <li>{@code x-vs-attempt-history} keeps the latest {@value FailureHeaders#HISTORY_LIMIT} entries: a broker
 * dead-lettering becomes an entry of class {@code broker}, and the replay one of class {@code replay}.</li>
 * </ul>
 */
final class ReplayHeaders {

    static final String REPLAY_CLASS = "replay";
    private static final String WHO = "mqctl@" + hostName();

    private ReplayHeaders() {
    }

    static AMQP.BasicProperties properties(DeadLetter letter, String target, Instant now) {
        Map<String, Object> headers = new HashMap<>(letter.headers());
        headers.keySet().removeIf(ReplayHeaders::dropped);
        List<Object> history = new ArrayList<>(letter.headers().get(FailureHeaders.HISTORY) instanceof List<?> previous
                ? previous : List.of());
        if (DeadLetter.BROKER.equals(letter.source())) {
            history.add(entry(letter.deadLetteredAt() == null ? now : letter.deadLetteredAt(), "broker", letter.reason(),
                    "dead-lettered by RabbitMQ from " + letter.originalQueue(), "rabbitmq"));
        }
        history.add(entry(now, REPLAY_CLASS, "replayed to " + target, "", WHO));
        int from = Math.max(0, history.size() - FailureHeaders.HISTORY_LIMIT);
        headers.put(FailureHeaders.HISTORY, new ArrayList<>(history.subList(from, history.size())));
        return letter.properties().builder().headers(headers).build();
    }

    private static boolean dropped(String header) {
        return (header.startsWith("x-vs-") && !header.equals(FailureHeaders.HISTORY)) || header.equals("x-death")
                || header.startsWith("x-first-death-") || header.startsWith("x-last-death-")
                || header.equals("x-delivery-count") || header.equals("x-acquired-count");
    }

    private static Map<String, Object> entry(Instant at, String failureClass, String reason, String error, String worker) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("at", at.toString());
        entry.put("class", failureClass);
        entry.put("reason", reason == null ? "" : reason);
        entry.put("error", error);
        entry.put("worker", worker);
        return entry;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
