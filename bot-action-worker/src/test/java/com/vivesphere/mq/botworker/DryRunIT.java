package com.vivesphere.mq.botworker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.inject.Inject;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.vivesphere.mq.botworker.client.DryRunXClient;
import com.vivesphere.mq.common.topology.Topology;
import com.vivesphere.mq.testing.DeadLetters;
import com.vivesphere.mq.testing.OnTestVhost;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * {@code BOT_EXECUTOR=dry-run} is the real pipeline with the call to X logged instead of sent: schedule, deadline,
 * ledger, duplicate detection and results behave as with {@code x} (XExecutionIT), and say they were a dry run.
 */
@QuarkusTest
@WithTestResource(DryRunResource.class)
class DryRunIT extends OnTestVhost {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** A request the dry run logged, and when. */
    private record LoggedRequest(String message, Instant at) {
    }

    @Inject
    Pool pool;

    private final List<LoggedRequest> requests = new CopyOnWriteArrayList<>();
    private final Handler requestLog = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
            requests.add(new LoggedRequest(message, record.getInstant()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private PublishedMessages results;

    @BeforeEach
    void listen() throws Exception {
        Logger.getLogger(DryRunXClient.class.getName()).addHandler(requestLog);
        results = PublishedMessages.results(connection);
    }

    @AfterEach
    void stopListening() throws Exception {
        Logger.getLogger(DryRunXClient.class.getName()).removeHandler(requestLog);
        results.close();
    }

    @Test
    void aScheduledActionIsNotExecutedBeforeItsTime() throws Exception {
        Instant notBefore = Instant.now().plusSeconds(5);

        UUID id = BotActions.publish(connection,
                BotActions.action("bot-1", "LIKE", "\"targetPostId\":\"1\",\"notBefore\":\"" + notBefore + "\""));

        JsonNode result = results.take(id, WAIT);
        assertThat(result.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(OffsetDateTime.parse(result.get("executedAt").asText()).toInstant()).isAfterOrEqualTo(notBefore);
        assertThat(requestsOf(id)).singleElement()
                .satisfies(request -> assertThat(request.at()).isBetween(notBefore, notBefore.plusSeconds(3)));
    }

    @Test
    void anExpiredActionIsNotExecutedAndExpiresAsWithX() throws Exception {
        String expiresAt = OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(10).toString();

        UUID id = BotActions.publish(connection,
                BotActions.action("bot-1", "LIKE", "\"targetPostId\":\"1\",\"expiresAt\":\"" + expiresAt + "\""));

        DeadLetters.Letter letter = await().atMost(WAIT).until(() -> DeadLetters.take(connection, Topology.DEAD_LETTER_QUEUE),
                l -> l.isPresent() && l.get().messageId().equals(id.toString())).get();
        assertThat(letter.headers()).containsEntry("x-vs-failure-reason", "expired");
        JsonNode result = results.take(id, WAIT);
        assertThat(result.get("status").asText()).isEqualTo("EXPIRED");
        assertThat(result.get("dryRun").asBoolean()).isTrue();
        assertThat(ledger(id)).isEmpty();
        assertThat(requestsOf(id)).isEmpty();
    }

    @Test
    void anExecutedActionIsInTheLedgerAndItsResultAndLogEventAreMarkedDryRun() throws Exception {
        try (PublishedMessages logEvents = PublishedMessages.logEvents(connection)) {
            UUID id = BotActions.publish(connection, BotActions.action("bot-1", "POST", "\"text\":\"hello from a dry run\""));

            JsonNode result = results.take(id, WAIT);
            assertThat(result.get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(result.get("dryRun").asBoolean()).isTrue();
            assertThat(result.get("externalId").asText()).isEqualTo("dry-run-" + id);
            Row row = ledger(id).iterator().next();
            assertThat(row.getString("state")).isEqualTo("SUCCEEDED");
            assertThat(row.getBoolean("dry_run")).isTrue();
            assertThat(row.getString("external_id")).isEqualTo("dry-run-" + id);
            JsonNode logEvent = logEvents.take(id, WAIT);
            assertThat(logEvent.path("attributes").path("dryRun").asText()).isEqualTo("true");
            assertThat(logEvent.path("message").asText()).startsWith("dry-run: bot bot-1 POST succeeded");
        }
    }

    @Test
    void aDuplicateActionIdIsExecutedOnce() throws Exception {
        String body = BotActions.action("bot-1", "REPOST", "\"targetPostId\":\"5\"");

        UUID id = BotActions.publish(connection, body);
        BotActions.publish(connection, body);

        List<JsonNode> both = results.take(List.of(id), 2, WAIT);
        assertThat(both).extracting(result -> result.get("status").asText())
                .containsExactlyInAnyOrder("SUCCEEDED", "SKIPPED_DUPLICATE");
        assertThat(requestsOf(id)).hasSize(1);
        assertThat(ledger(id).iterator().next().getInteger("attempts")).isEqualTo(1);
    }

    @Test
    void theLoggedRequestHasTheResolvedPathAndTheBodyAndNoToken() throws Exception {
        UUID id = BotActions.publish(connection, BotActions.action("bot-1", "LIKE", "\"targetPostId\":\"77\""));

        results.take(id, WAIT);
        assertThat(requestsOf(id)).singleElement().extracting(LoggedRequest::message).asString()
                .contains("POST /2/users/" + DryRunResource.USER_ID + "/likes", "{\"tweet_id\":\"77\"}")
                .doesNotContain(DryRunResource.ACCESS_TOKEN, DryRunResource.REFRESH_TOKEN, "unresolved");
    }

    @Test
    void aBotWithoutCredentialsIsExecutedWithThePathSaidToBeUnresolved() throws Exception {
        UUID id = BotActions.publish(connection, BotActions.action("bot-2", "FOLLOW", "\"targetUserId\":\"99\""));

        assertThat(results.take(id, WAIT).get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(requestsOf(id)).singleElement().extracting(LoggedRequest::message).asString()
                .contains("POST /2/users/:id/following", ":id unresolved", "bot-2", "{\"target_user_id\":\"99\"}");
    }

    private List<LoggedRequest> requestsOf(UUID actionId) {
        return requests.stream().filter(request -> request.message().contains(actionId.toString())).toList();
    }

    private RowSet<Row> ledger(UUID actionId) {
        return pool.preparedQuery("SELECT * FROM bot_action_executions WHERE action_id = $1").execute(Tuple.of(actionId))
                .await().indefinitely();
    }
}
