package com.vivesphere.mq.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.vivesphere.mq.common.failure.FailureHeaders;
import com.vivesphere.mq.common.topology.Topology;
import com.vivesphere.mq.faults.support.BrokerNode;
import com.vivesphere.mq.faults.support.DeadLetterReader;
import com.vivesphere.mq.faults.support.Figures;
import com.vivesphere.mq.faults.support.MixedTraffic;
import com.vivesphere.mq.faults.support.ReliablePublisher;
import com.vivesphere.mq.faults.support.Sandbox;
import com.vivesphere.mq.faults.support.SoakSampler;
import com.vivesphere.mq.faults.support.SoakTraffic;
import com.vivesphere.mq.testing.PackagedApp;
import com.vivesphere.mq.testing.XApiStub;

/**
 * The soak (docs/fault-suite.md, Soak): {@code soak.minutes} (default 30) of events at 2,000/s, 1% of them off the
 * contract, and post actions at 50/s that X answers 429 or 503 now and then, through both packaged workers on a
 * broker node of the test's own. Memory after GC and the queues stay flat, end-to-end latency stable, and at the
 * end every message is accounted for exactly. Not part of {@code -Pfaults}: {@code -Psoak} runs it alone.
 */
class SoakIT {

    private static final int MINUTES = Integer.getInteger("soak.minutes", 30);
    private static final int PER_SECOND = 2_050;
    private static final Duration START = Duration.ofSeconds(120);
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(10);
    /** A full GC a minute per worker: often enough for a trend, rare enough to leave the latency alone. */
    private static final int GC_EVERY = 6;
    /** The JIT, the pools and the heap sizing settle first: the trends are taken after this. */
    private static final double WARM_UP_MINUTES = Math.min(5, MINUTES / 3.0);
    private static final double MIB = 1024 * 1024;
    /**
     * Live heap growth allowed, MiB per hour: a worker keeping 1.4 bytes of every message it handles (7.4 million
     * an hour) would grow by 10 MiB an hour; and at that, the 192 MiB heap would last more than a day.
     */
    private static final double LIVE_HEAP_BOUND = 10;
    /** Resident memory growth allowed, MiB per hour: the heap's bound plus as much again for native memory. */
    private static final double RSS_BOUND = 20;
    /** Never more waiting than 5 s of traffic: a backlog that builds up passes it within the run. */
    private static final long QUEUED_BOUND = 5L * PER_SECOND;
    /**
     * Slopes over a shorter span after the warm-up measure the warm-up's tail (heap and code cache still growing into
     * their size), not a trend: asserted from this span on, recorded always.
     */
    private static final double TREND_SPAN_MINUTES = 10;
    /** Every minute's p99 from publish to stored, seconds: a backlog would push it up minute after minute. */
    private static final double P99_BOUND = 2;

    @Test
    void mixedTrafficLeavesMemoryQueuesAndLatencyFlatAndEveryMessageAccountedFor() {
        String scenario = "soak-" + UUID.randomUUID().toString().substring(0, 6);
        Path logs = Figures.output().resolve("soak");
        try (BrokerNode node = BrokerNode.start("soak", ""); Sandbox sandbox = Sandbox.on(List.of(node));
                XApiStub x = new XApiStub(Duration.ofMillis(20))) {
            Map<String, String> botEnv = new HashMap<>(sandbox.env());
            botEnv.putAll(x.env(x.credentialsFile(logs, "refresh-")));
            PackagedApp logConsumer = PackagedApp.start(PackagedApp.App.LOG_CONSUMER, sandbox.env(),
                    logs.resolve("log-consumer.log"));
            PackagedApp botWorker = PackagedApp.start(PackagedApp.App.BOT_ACTION_WORKER, botEnv,
                    logs.resolve("bot-action-worker.log"));
            try (logConsumer; botWorker) {
                logConsumer.awaitReady(START);
                botWorker.awaitReady(START);
                OffsetDateTime started = OffsetDateTime.now(ZoneOffset.UTC);
                ReliablePublisher publisher = new ReliablePublisher(sandbox, PER_SECOND, i -> SoakTraffic.message(scenario, i));
                SoakSampler sampler = new SoakSampler(sandbox, SAMPLE_EVERY, GC_EVERY, List.of(logConsumer, botWorker));
                try {
                    await().atMost(Duration.ofMinutes(MINUTES + 2)).pollInterval(Duration.ofSeconds(1))
                            .failFast("a worker exited", () -> !logConsumer.isAlive() || !botWorker.isAlive())
                            .until(() -> sampler.samples().size() > MINUTES * 60 / SAMPLE_EVERY.toSeconds());
                    publisher.finish(Duration.ofMinutes(1));
                } finally {
                    sampler.close();
                    publisher.close();
                }
                Runnable flat = recordFlat(sampler);
                Outcome outcome = Outcome.collect(scenario, publisher, sandbox, x, logConsumer, botWorker);
                outcome.record(publisher, x, botWorker);
                Runnable latency = recordLatency(sandbox, scenario, started);
                outcome.assertExact(sandbox, x, botWorker);
                flat.run();
                latency.run();
            }
        }
    }

    /** What was published, by kind, and what became of it. */
    private record Outcome(String scenario, Map<SoakTraffic.Kind, Integer> published, Set<String> invalidIds,
            List<String> texts, List<DeadLetterReader.Letter> letters) {

        static Outcome collect(String scenario, ReliablePublisher publisher, Sandbox sandbox, XApiStub x,
                PackagedApp... workers) {
            int generated = publisher.generated();
            assertThat(publisher.confirmed()).as("every message generated confirmed").hasSize(generated);
            Map<SoakTraffic.Kind, Integer> published = new EnumMap<>(SoakTraffic.Kind.class);
            Set<String> invalidIds = new HashSet<>();
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < generated; i++) {
                SoakTraffic.Kind kind = SoakTraffic.kind(i);
                published.merge(kind, 1, Integer::sum);
                if (kind == SoakTraffic.Kind.INVALID_EVENT) {
                    invalidIds.add(MixedTraffic.id(scenario, i).toString());
                } else if (kind != SoakTraffic.Kind.EVENT) {
                    texts.add(SoakTraffic.text(scenario, i));
                }
            }
            int events = published.getOrDefault(SoakTraffic.Kind.EVENT, 0);
            String all = events + " events stored, " + texts.size() + " posts created";
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(
                    sandbox.rows("log_events", "service = '" + scenario + "'") + " events stored, " + x.postsCreated()
                            + " posts created")
                    .as("still queued %d (delay levels %d), dead letters %d, ledger %s", sandbox.ready(Topology.LOG_QUEUE,
                            Topology.LOG_PRIORITY_QUEUE, Topology.BOT_ACTION_QUEUE), sandbox.delayed(),
                            sandbox.ready(Topology.DEAD_LETTER_QUEUE),
                            sandbox.counts("SELECT state, count(*) FROM bot_action_executions GROUP BY state"))
                    .isEqualTo(all));
            List<DeadLetterReader.Letter> letters = DeadLetterReader.take(sandbox, invalidIds.size(), Duration.ofMinutes(2));
            sandbox.awaitQuiet(Duration.ofMinutes(2), workers);
            return new Outcome(scenario, published, invalidIds, texts, letters);
        }

        int count(SoakTraffic.Kind... kinds) {
            int sum = 0;
            for (SoakTraffic.Kind kind : kinds) {
                sum += published.getOrDefault(kind, 0);
            }
            return sum;
        }

        int actions() {
            return texts.size();
        }

        void assertExact(Sandbox sandbox, XApiStub x, PackagedApp botWorker) {
            String where = "service = '" + scenario + "'";
            int events = count(SoakTraffic.Kind.EVENT);
            // ids are this run's own (derived from the scenario), so as many distinct ones as published are the ones published
            assertThat(sandbox.rows("log_events", where)).as("events stored").isEqualTo(events);
            assertThat(sandbox.count("SELECT count(DISTINCT id) FROM log_events WHERE " + where)).as("distinct events stored")
                    .isEqualTo(events);
            assertThat(invalidIds.size() * SoakTraffic.INVALID_EVERY).as("1% of the events invalid")
                    .isBetween(events + invalidIds.size() - SoakTraffic.INVALID_EVERY + 1, events + invalidIds.size());
            assertThat(letters.stream().map(DeadLetterReader.Letter::messageId).collect(Collectors.toSet()))
                    .as("dead letters: the invalid events, each once").hasSize(letters.size()).isEqualTo(invalidIds);
            assertThat(letters).allSatisfy(l -> assertThat(l.header(FailureHeaders.REASON)).isEqualTo("schema-invalid"));
            assertThat(sandbox.ready(Topology.DEAD_LETTER_QUEUE)).as("dead letters left").isZero();
            assertThat(texts.stream().filter(t -> x.created(t) != 1).count()).as("actions not posted exactly once").isZero();
            assertThat(x.postsCreated()).as("posts on X").isEqualTo(actions());
            assertThat(x.throttled()).as("429 answered").isEqualTo(count(SoakTraffic.Kind.THROTTLED_ACTION));
            assertThat(x.unavailable()).as("503 answered").isEqualTo(count(SoakTraffic.Kind.UNAVAILABLE_ACTION));
            assertThat(botWorker.metricSum("vivesphere_messages_retried_total", "class=\"transient\""))
                    .as("actions retried after a 503").isEqualTo(count(SoakTraffic.Kind.UNAVAILABLE_ACTION));
            assertThat(botWorker.metricSum("vivesphere_messages_retried_total", "class=\"throttled\""))
                    .as("actions retried after a 429 (and the bot's others held until its window reset)")
                    .isGreaterThanOrEqualTo(count(SoakTraffic.Kind.THROTTLED_ACTION));
            assertThat(sandbox.rows("bot_action_executions", "state = 'SUCCEEDED'")).as("actions succeeded").isEqualTo(actions());
            assertThat(sandbox.rows("bot_action_executions", "state <> 'SUCCEEDED'")).as("actions not succeeded").isZero();
        }

        void record(ReliablePublisher publisher, XApiStub x, PackagedApp botWorker) {
            Figures.record("soak", "minutes of traffic / messages published and confirmed",
                    MINUTES + " / " + publisher.generated());
            Figures.record("soak", "events: valid confirmed / stored once / invalid dead-lettered",
                    count(SoakTraffic.Kind.EVENT) + " / " + count(SoakTraffic.Kind.EVENT) + " / " + letters.size()
                            + " of " + invalidIds.size());
            Figures.record("soak", "actions: confirmed / posted once / 429 / 503 / dead-lettered",
                    actions() + " / " + x.postsCreated() + " / " + x.throttled() + " / " + x.unavailable() + " / 0");
            Figures.record("soak", "bot-action-worker retries: transient / throttled",
                    (long) botWorker.metricSum("vivesphere_messages_retried_total", "class=\"transient\"") + " / "
                            + (long) botWorker.metricSum("vivesphere_messages_retried_total", "class=\"throttled\""));
            Figures.record("soak", "producer: reconnects / messages published again",
                    publisher.reconnects() + " / " + publisher.republished());
        }
    }

    /** Records memory and queues; the assertion it returns checks them. */
    private static Runnable recordFlat(SoakSampler sampler) {
        List<SoakSampler.Sample> steady = sampler.after(WARM_UP_MINUTES);
        assertThat(steady).as("samples after the warm-up").hasSizeGreaterThan(3);
        double span = steady.get(steady.size() - 1).minutes() - steady.get(0).minutes();
        Map<String, double[]> slopes = new LinkedHashMap<>();
        for (String worker : steady.get(0).rssKiB().keySet()) {
            double rss = SoakSampler.slopePerHour(steady, s -> s.rssKiB().get(worker) / 1024.0);
            double live = SoakSampler.slopePerHour(steady, s -> s.liveHeapBytes().get(worker) < 0 ? -1
                    : s.liveHeapBytes().get(worker) / MIB);
            Figures.record("soak " + worker, "RSS first / last / max / slope after warm-up",
                    range(steady, s -> s.rssKiB().get(worker) / 1024.0) + " MiB / " + perHour(rss));
            Figures.record("soak " + worker, "live heap after full GC first / last / max / slope",
                    range(steady.stream().filter(s -> s.liveHeapBytes().get(worker) >= 0).toList(),
                            s -> s.liveHeapBytes().get(worker) / MIB) + " MiB / " + perHour(live));
            Figures.record("soak " + worker, "heap used max (before GC)",
                    String.format(Locale.ROOT, "%.0f MiB", steady.stream().mapToDouble(s -> s.heapBytes().get(worker) / MIB)
                            .max().orElse(0)));
            slopes.put(worker, new double[] { live, rss });
        }
        double queuedSlope = SoakSampler.slopePerHour(steady, SoakSampler.Sample::queued);
        long maxQueued = steady.stream().mapToLong(SoakSampler.Sample::queued).max().orElse(0);
        Figures.record("soak", "queued (work queues + delay levels) max / slope after warm-up",
                maxQueued + " / " + String.format(Locale.ROOT, "%.0f messages/h", queuedSlope));
        Figures.record("soak", "samples taken / failed", sampler.samples().size() + " / " + sampler.errors().size());
        return () -> {
            assertThat(sampler.errors()).as("samples that failed").isEmpty();
            assertThat(maxQueued).as("messages waiting at most").isLessThanOrEqualTo(QUEUED_BOUND);
            if (span >= TREND_SPAN_MINUTES) {
                slopes.forEach((worker, slope) -> {
                    assertThat(slope[0]).as(worker + " live heap slope, MiB/h").isLessThan(LIVE_HEAP_BOUND);
                    assertThat(slope[1]).as(worker + " RSS slope, MiB/h").isLessThan(RSS_BOUND);
                });
            }
        };
    }

    /** Records the latencies; the assertion it returns checks them. */
    private static Runnable recordLatency(Sandbox sandbox, String scenario, OffsetDateTime started) {
        List<double[]> perMinute = p99s(sandbox, scenario, started, 60);
        List<double[]> perFive = p99s(sandbox, scenario, started, 300);
        Figures.record("soak", "event p99 publish to stored, per 5 minutes (s)", perFive.stream()
                .map(w -> String.format(Locale.ROOT, "%.0f-%.0f min: %.3f", w[0] * 5, w[0] * 5 + 5, w[1]))
                .collect(Collectors.joining(", ")));
        Figures.record("soak", "event p99 per minute after warm-up min / max (s)", String.format(Locale.ROOT, "%.3f / %.3f",
                perMinute.stream().filter(w -> w[0] >= WARM_UP_MINUTES).mapToDouble(w -> w[1]).min().orElse(0),
                perMinute.stream().filter(w -> w[0] >= WARM_UP_MINUTES).mapToDouble(w -> w[1]).max().orElse(0)));
        List<String> actionP99 = sandbox.column("""
                SELECT format('%s-%s min: %s', w * 5, w * 5 + 5, round(p::numeric, 3)) FROM (
                  SELECT floor(extract(epoch FROM created_at - timestamptz '""" + started + """
                ') / 300)::int AS w,
                         percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - created_at)) AS p
                  FROM bot_action_executions WHERE attempts = 1 GROUP BY 1) t ORDER BY w""");
        Figures.record("soak", "action p99 claimed to posted, first attempts, per 5 minutes (s)", String.join(", ", actionP99));
        return () -> assertThat(perMinute).as("p99 of every minute after the warm-up, seconds")
                .filteredOn(w -> w[0] >= WARM_UP_MINUTES).isNotEmpty().allSatisfy(w -> assertThat(w[1]).isLessThan(P99_BOUND));
    }

    /** {window index, p99 in seconds} of stored_at - event_time per window of {@code seconds} since the start. */
    private static List<double[]> p99s(Sandbox sandbox, String scenario, OffsetDateTime started, int seconds) {
        return sandbox.column("""
                SELECT w || ' ' || p FROM (
                  SELECT floor(extract(epoch FROM event_time - timestamptz '%s') / %d)::int AS w,
                         percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM stored_at - event_time)) AS p
                  FROM log_events WHERE service = '%s' GROUP BY 1) t ORDER BY w""".formatted(started, seconds, scenario))
                .stream().map(row -> row.split(" ")).map(r -> new double[] { Double.parseDouble(r[0]), Double.parseDouble(r[1]) })
                .toList();
    }

    private static String range(List<SoakSampler.Sample> samples, ToDoubleFunction<SoakSampler.Sample> value) {
        return String.format(Locale.ROOT, "%.0f / %.0f / %.0f", value.applyAsDouble(samples.get(0)),
                value.applyAsDouble(samples.get(samples.size() - 1)), samples.stream().mapToDouble(value).max().orElse(0));
    }

    private static String perHour(double slope) {
        return String.format(Locale.ROOT, "%+.1f MiB/h", slope);
    }
}
