package com.vivesphere.mq.faults.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import com.vivesphere.mq.common.topology.Topology;
import com.vivesphere.mq.testing.PackagedApp;
import com.vivesphere.mq.testing.XApiStub;

/**
 * What became of the {@link MixedTraffic} a {@link ReliablePublisher} got confirmed, counted against the
 * database and the X stub: nothing lost, nothing stored or posted twice, no dead letters.
 */
public record DeliveryOutcome(int events, long eventsStored, long eventsLost, long eventDuplicates, int actions, long posted,
        long actionsLost, long postedTwice) {

    /**
     * Waits until every confirmed message (plus {@code moreEvents} ids and {@code morePosts} texts published
     * otherwise) is stored or posted and the workers are quiet, then counts and asserts.
     */
    public static DeliveryOutcome verify(String scenario, ReliablePublisher publisher, Sandbox sandbox, XApiStub x,
            Set<String> moreEvents, Set<String> morePosts, PackagedApp... workers) {
        Set<String> events = new HashSet<>(moreEvents);
        Set<String> texts = new HashSet<>(morePosts);
        Set<Integer> confirmed = publisher.confirmed();
        for (int i : confirmed) {
            if (i % MixedTraffic.ACTION_EVERY == 0) {
                texts.add(MixedTraffic.text(scenario, i));
            } else {
                events.add(MixedTraffic.id(scenario, i).toString());
            }
        }
        String where = "service = '" + scenario + "'";
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                .until(() -> sandbox.rows("log_events", where) >= events.size() && texts.stream().allMatch(t -> x.created(t) > 0));
        sandbox.awaitQuiet(Duration.ofMinutes(1), workers);
        Set<String> stored = new HashSet<>(sandbox.column("SELECT id::text FROM log_events WHERE " + where));
        long rows = sandbox.rows("log_events", where);
        long eventsLost = events.stream().filter(id -> !stored.contains(id)).count();
        long actionsLost = texts.stream().filter(t -> x.created(t) == 0).count();
        long postedTwice = texts.stream().filter(t -> x.created(t) > 1).count();
        assertThat(publisher.generated()).isEqualTo(confirmed.size());
        assertThat(eventsLost).as("events lost").isZero();
        assertThat(rows).as("events stored").isEqualTo(events.size());
        assertThat(actionsLost).as("actions lost").isZero();
        assertThat(postedTwice).as("actions posted twice").isZero();
        assertThat(sandbox.ready(Topology.DEAD_LETTER_QUEUE)).as("dead letters").isZero();
        return new DeliveryOutcome(events.size(), rows, eventsLost, rows - stored.size(), texts.size(),
                texts.stream().mapToLong(x::created).sum(), actionsLost, postedTwice);
    }

    public void record(String scenario, ReliablePublisher publisher) {
        Figures.record(scenario, "events confirmed / stored / lost / duplicates",
                events + " / " + eventsStored + " / " + eventsLost + " / " + eventDuplicates);
        Figures.record(scenario, "actions confirmed / posted / lost / posted twice",
                actions + " / " + posted + " / " + actionsLost + " / " + postedTwice);
        Figures.record(scenario, "producer: reconnects / messages published again", publisher.reconnects() + " / "
                + publisher.republished());
    }
}
