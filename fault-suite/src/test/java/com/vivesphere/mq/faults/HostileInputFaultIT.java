package com.vivesphere.mq.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.vivesphere.mq.common.failure.FailureHeaders;
import com.vivesphere.mq.common.topology.Topology;
import com.vivesphere.mq.faults.support.BrokerNode;
import com.vivesphere.mq.faults.support.DeadLetterReader;
import com.vivesphere.mq.faults.support.Figures;
import com.vivesphere.mq.faults.support.MemorySampler;
import com.vivesphere.mq.faults.support.Sandbox;
import com.vivesphere.mq.faults.support.Traffic;
import com.vivesphere.mq.testing.PackagedApp;

/**
 * Scenario 7: a corpus of hostile bodies and properties. Each one is dead-lettered with its reason (or,
 * where the contract says so, accepted); the worker keeps running with bounded memory. Runs on a broker
 * node of its own configured like production, whose message size limit refuses a 100 MiB body at publish.
 */
class HostileInputFaultIT {

    private static final Duration START = Duration.ofSeconds(120);
    private static final String STORED = "stored";
    private static BrokerNode node;

    /** One hostile message: what is sent and what must become of it. */
    private record Case(String name, byte[] body, String contentType, String contentEncoding, String expected) {
    }

    @BeforeAll
    static void startNode() {
        node = BrokerNode.start("hostile", "");
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void everyHostileMessageIsDeadLetteredWithItsReasonAndTheWorkerKeepsRunning() throws Exception {
        String service = "hostile-" + UUID.randomUUID().toString().substring(0, 8);
        List<Case> corpus = corpus(service);
        Path logs = Figures.output().resolve("hostile-input");
        try (Sandbox sandbox = Sandbox.on(List.of(node)); Connection producer = sandbox.connect("fault-producer")) {
            PackagedApp worker = PackagedApp.start(PackagedApp.App.LOG_CONSUMER, sandbox.env(), logs.resolve("log-consumer.log"));
            try (worker; MemorySampler memory = new MemorySampler(worker)) {
                worker.awaitReady(START);

                // 100 MiB: the broker refuses it at publish (production's max_message_size), the producer is told.
                try (Channel channel = producer.createChannel()) {
                    channel.confirmSelect();
                    assertThatThrownBy(() -> {
                        channel.basicPublish(Topology.LOG_EXCHANGE, "info." + service, true, properties("hostile-100MiB",
                                "application/json", null), new byte[100 * 1024 * 1024]);
                        channel.waitForConfirmsOrDie(60_000);
                    }).hasStackTraceContaining("larger than configured max size");
                } catch (com.rabbitmq.client.AlreadyClosedException | IOException e) {
                    // the broker closed the channel: that is the refusal
                }

                try (Channel channel = producer.createChannel()) {
                    channel.confirmSelect();
                    for (Case c : corpus) {
                        channel.basicPublish(Topology.LOG_EXCHANGE, "info." + service, true,
                                properties("hostile-" + c.name(), c.contentType(), c.contentEncoding()), c.body());
                    }
                    channel.waitForConfirmsOrDie(60_000);
                }
                long deadLettered = corpus.stream().filter(c -> !c.expected().equals(STORED)).count();
                List<DeadLetterReader.Letter> letters = DeadLetterReader.take(sandbox, (int) deadLettered, Duration.ofMinutes(2));
                long stored = corpus.size() - deadLettered;
                await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                        .until(() -> sandbox.rows("log_events", "true") == stored && worker.unsettled() == 0);

                Map<String, String> expected = corpus.stream().filter(c -> !c.expected().equals(STORED))
                        .collect(Collectors.toMap(c -> "hostile-" + c.name(), Case::expected));
                Map<String, String> actual = letters.stream()
                        .collect(Collectors.toMap(DeadLetterReader.Letter::messageId, l -> l.header(FailureHeaders.REASON)));
                assertThat(actual).as("dead letters and their reasons").isEqualTo(expected);
                assertThat(letters).allSatisfy(l -> assertThat(l.header(FailureHeaders.ERROR_MESSAGE)).isNotBlank());

                // Still working: a good event afterwards is stored.
                UUID after = UUID.randomUUID();
                Traffic.publish(producer, List.of(Traffic.logEvent(after, service)));
                await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.rows("log_events", "id = '" + after + "'") == 1);
                assertThat(worker.isAlive()).isTrue();
                assertThat(worker.status("/q/health/ready")).isEqualTo(200);
                long peak = worker.peakRssKiB();
                assertThat(peak).as("peak RSS, KiB").isLessThan(400 * 1024);

                Map<String, Long> reasons = letters.stream()
                        .collect(Collectors.groupingBy(l -> l.header(FailureHeaders.REASON), java.util.TreeMap::new,
                                Collectors.counting()));
                Figures.record("7 hostile input log-consumer", "cases / dead-lettered with a reason / accepted (contract)",
                        (corpus.size() + 1) + " / " + letters.size() + " / " + stored + " (+ 100 MiB refused at publish)");
                Figures.record("7 hostile input log-consumer", "reasons", reasons);
                Figures.record("7 hostile input log-consumer", "max RSS sampled / peak RSS (VmHWM), -Xmx192m",
                        Figures.mib(memory.maxKiB()) + " / " + Figures.mib(peak));
            }
        }
    }

    private static AMQP.BasicProperties properties(String messageId, String contentType, String encoding) {
        return new AMQP.BasicProperties.Builder().contentType(contentType).contentEncoding(encoding).deliveryMode(2)
                .messageId(messageId).build();
    }

    private static List<Case> corpus(String service) {
        Random random = new Random(7);
        Map<String, Case> cases = new LinkedHashMap<>();
        String valid = Traffic.logEventJson(UUID.randomUUID(), service, "INFO", "fine");
        add(cases, "random-1KiB", randomBytes(random, 1024), "application/json", "malformed-json");
        add(cases, "random-200KiB", randomBytes(random, 200 * 1024), null, "malformed-json");
        add(cases, "empty", new byte[0], "application/json", "malformed-json");
        add(cases, "truncated", utf8(valid.substring(0, valid.length() - 20)), "application/json", "malformed-json");
        add(cases, "truncated-in-string", utf8("{\"schemaVersion\":1,\"id\":\"0b6f6a7e-2f0e"), "application/json",
                "malformed-json");
        // Deep nesting where a record or a string is expected is refused at its first token; in an unknown field it is
        // parsed through, up to the parser's nesting limit.
        add(cases, "nested-arrays-100k", utf8("[".repeat(100_000) + "]".repeat(100_000)), "application/json", "schema-invalid");
        add(cases, "nested-objects-5k", utf8(valid.replace("\"attributes\":{\"scenario\":\"" + service + "\"}",
                "\"attributes\":" + "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000))), "application/json", "schema-invalid");
        add(cases, "nested-unknown-field-50k", utf8(valid.replace("\"logger\"", "\"extra\":" + "[".repeat(50_000)
                + "]".repeat(50_000) + ",\"logger\"")), "application/json", "malformed-json");
        add(cases, "huge-message-100KiB", utf8(valid.replace("\"fine\"", "\"" + "y".repeat(100 * 1024) + "\"")),
                "application/json", "schema-invalid");
        add(cases, "huge-string-1MiB", utf8(valid.replace("\"fine\"", "\"" + "z".repeat(1024 * 1024) + "\"")),
                "application/json", "oversized");
        add(cases, "body-15MiB", new byte[15 * 1024 * 1024], "application/json", "oversized");
        add(cases, "huge-number", utf8(valid.replace("\"schemaVersion\":1", "\"schemaVersion\":1" + "0".repeat(5_000))),
                "application/json", "malformed-json");
        add(cases, "huge-service", utf8(valid.replace("\"service\":\"" + service + "\"", "\"service\":\"" + "s".repeat(10_000) + "\"")),
                "application/json", "schema-invalid");
        add(cases, "level-number", utf8(valid.replace("\"level\":\"INFO\"", "\"level\":3")), "application/json", "schema-invalid");
        add(cases, "id-number", utf8(valid.replaceFirst("\"id\":\"[^\"]+\"", "\"id\":12345")), "application/json", "schema-invalid");
        add(cases, "schema-version-string", utf8(valid.replace("\"schemaVersion\":1", "\"schemaVersion\":\"1\"")),
                "application/json", "schema-invalid");
        add(cases, "schema-version-2", utf8(valid.replace("\"schemaVersion\":1", "\"schemaVersion\":2")), "application/json",
                "schema-invalid");
        add(cases, "timestamp-prose", utf8(valid.replaceFirst("\"timestamp\":\"[^\"]+\"", "\"timestamp\":\"yesterday\"")),
                "application/json", "schema-invalid");
        add(cases, "attributes-number", utf8(valid.replace("{\"scenario\":\"" + service + "\"}", "{\"k\":1}")),
                "application/json", "schema-invalid");
        add(cases, "missing-service", utf8(valid.replace("\"service\":\"" + service + "\",", "")), "application/json",
                "schema-invalid");
        add(cases, "json-null", utf8("null"), "application/json", "schema-invalid");
        add(cases, "json-array", utf8("[]"), "application/json", "schema-invalid");
        add(cases, "json-number", utf8("42"), "application/json", "schema-invalid");
        add(cases, "duplicate-keys", utf8(valid.replace("\"level\":\"INFO\"", "\"level\":\"INFO\",\"level\":\"ERROR\"")),
                "application/json", "malformed-json");
        add(cases, "trailing-garbage", utf8(valid + "{}"), "application/json", "malformed-json");
        add(cases, "invalid-utf8", bytes(valid, "fine", new byte[] { 'a', (byte) 0xC3, (byte) 0x28, 'b' }), "application/json",
                "malformed-json");
        add(cases, "utf8-surrogate", bytes(valid, "fine", new byte[] { (byte) 0xED, (byte) 0xA0, (byte) 0x80 }),
                "application/json", "malformed-json");
        add(cases, "raw-nul-byte", bytes(valid, "fine", new byte[] { 'a', 0, 'b' }), "application/json", "malformed-json");
        add(cases, "content-type-xml", utf8(valid), "application/xml", "unsupported-content");
        add(cases, "content-type-text", utf8(valid), "text/plain; charset=utf-8", "unsupported-content");
        add(cases, "content-encoding-gzip", utf8(valid), "application/json", "gzip", "unsupported-content");
        add(cases, "no-content-type-garbage", randomBytes(random, 512), null, "malformed-json");
        // Accepted by the contract: a missing content type, unknown fields (ignored for forward compatibility), and an
        // escaped NUL (stored as U+FFFD, the row flagged nul_replaced).
        add(cases, "escaped-nul", utf8(valid.replace("\"fine\"", "\"a\\u0000b\"")), "application/json", STORED);
        add(cases, "no-content-type-valid", utf8(Traffic.logEventJson(UUID.randomUUID(), service, "INFO", "fine")), null, STORED);
        add(cases, "unknown-fields", utf8(Traffic.logEventJson(UUID.randomUUID(), service, "INFO", "fine")
                .replace("\"logger\"", "\"extra\":{\"deep\":[1,2,{\"x\":null}]},\"logger\"")), "application/json", STORED);
        return List.copyOf(cases.values());
    }

    private static void add(Map<String, Case> cases, String name, byte[] body, String contentType, String expected) {
        add(cases, name, body, contentType, null, expected);
    }

    private static void add(Map<String, Case> cases, String name, byte[] body, String contentType, String encoding,
            String expected) {
        cases.put(name, new Case(name, body, contentType, encoding, expected));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] randomBytes(Random random, int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        bytes[0] = '{'; // looks like JSON at first glance
        return bytes;
    }

    /** {@code json} with {@code raw} bytes in place of the text {@code marker}. */
    private static byte[] bytes(String json, String marker, byte[] raw) {
        int at = json.indexOf(marker);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(utf8(json.substring(0, at)));
        out.writeBytes(raw);
        out.writeBytes(utf8(json.substring(at + marker.length())));
        return out.toByteArray();
    }
}
