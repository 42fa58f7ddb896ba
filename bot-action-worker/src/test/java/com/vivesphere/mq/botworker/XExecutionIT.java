package com.vivesphere.mq.botworker;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.vivesphere.mq.botworker.client.RateLimit;
import com.vivesphere.mq.botworker.config.BotWorkerConfig;
import com.vivesphere.mq.botworker.ratelimit.RateLimiter;
import com.vivesphere.mq.testing.DeadLetters;
import com.vivesphere.mq.testing.OnTestVhost;
import com.vivesphere.mq.common.topology.Topology;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;

/** bot-action-worker executing actions against a WireMock X API, with the real broker and PostgreSQL. */
@QuarkusTest
@WithTestResource(XStubResource.class)
class XExecutionIT extends OnTestVhost {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    Pool pool;

    @Inject
    BotWorkerConfig config;

    private PublishedMessages results;

    @BeforeEach
    void listenForResults() throws Exception {
        XStubResource.x().resetAll();
        results = PublishedMessages.results(connection);
    }

    @AfterEach
    void stopListening() throws Exception {
        results.close();
    }

    // ---- request mapping -------------------------------------------------------------------------

    @Test
    void eachActionTypeBecomesItsXRequestAndItsResultIsPublished() throws Exception {
        stub(post("/2/tweets"), aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                .withBody("{\"data\":{\"id\":\"1900000000000000001\",\"text\":\"hello\"}}"));
        stub(post(urlPathEqualTo("/2/users/user-1/likes")), okJson("{\"data\":{\"liked\":true}}"));
        stub(delete("/2/users/user-1/likes/77"), okJson("{\"data\":{\"liked\":false}}"));
        stub(post("/2/users/user-1/retweets"), okJson("{\"data\":{\"retweeted\":true}}"));
        stub(delete("/2/users/user-1/retweets/77"), okJson("{\"data\":{\"retweeted\":false}}"));
        stub(post("/2/users/user-1/following"), okJson("{\"data\":{\"following\":true}}"));
        stub(delete("/2/users/user-1/following/99"), okJson("{\"data\":{\"following\":false}}"));
        stub(delete("/2/tweets/77"), okJson("{\"data\":{\"deleted\":true}}"));

        List<UUID> ids = new ArrayList<>();
        ids.add(publish(action("bot-1", "POST", "\"text\":\"hello\",\"mediaIds\":[\"m1\"]")));
        ids.add(publish(action("bot-1", "REPLY", "\"text\":\"hi there\",\"targetPostId\":\"77\"")));
        ids.add(publish(action("bot-1", "QUOTE", "\"text\":\"look\",\"targetPostId\":\"77\"")));
        ids.add(publish(action("bot-1", "LIKE", "\"targetPostId\":\"77\"")));
        ids.add(publish(action("bot-1", "UNLIKE", "\"targetPostId\":\"77\"")));
        ids.add(publish(action("bot-1", "REPOST", "\"targetPostId\":\"77\"")));
        ids.add(publish(action("bot-1", "UNREPOST", "\"targetPostId\":\"77\"")));
        ids.add(publish(action("bot-1", "FOLLOW", "\"targetUserId\":\"99\"")));
        ids.add(publish(action("bot-1", "UNFOLLOW", "\"targetUserId\":\"99\"")));
        ids.add(publish(action("bot-1", "DELETE", "\"targetPostId\":\"77\"")));

        List<JsonNode> published = awaitResults(ids);
        assertThat(published).allSatisfy(result -> {
            assertThat(result.get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(result.get("dryRun").asBoolean()).isFalse();
        });
        for (UUID id : ids) {
            assertThat(ledger(id).getString("state")).isEqualTo("SUCCEEDED");
            assertThat(ledger(id).getBoolean("dry_run")).isFalse();
        }
        assertThat(published.stream().filter(r -> r.get("type").asText().equals("POST")).findFirst().orElseThrow()
                .get("externalId").asText()).isEqualTo("1900000000000000001");
        var x = XStubResource.x();
        x.verify(postRequestedFor(urlEqualTo("/2/tweets")).withHeader("Authorization", equalTo("Bearer token-1"))
                .withRequestBody(equalToJson("{\"text\":\"hello\",\"media\":{\"media_ids\":[\"m1\"]}}")));
        x.verify(postRequestedFor(urlEqualTo("/2/tweets"))
                .withRequestBody(equalToJson("{\"text\":\"hi there\",\"reply\":{\"in_reply_to_tweet_id\":\"77\"}}")));
        x.verify(postRequestedFor(urlEqualTo("/2/tweets"))
                .withRequestBody(equalToJson("{\"text\":\"look\",\"quote_tweet_id\":\"77\"}")));
        x.verify(postRequestedFor(urlEqualTo("/2/users/user-1/likes")).withRequestBody(equalToJson("{\"tweet_id\":\"77\"}")));
        x.verify(postRequestedFor(urlEqualTo("/2/users/user-1/retweets")).withRequestBody(equalToJson("{\"tweet_id\":\"77\"}")));
        x.verify(postRequestedFor(urlEqualTo("/2/users/user-1/following"))
                .withRequestBody(equalToJson("{\"target_user_id\":\"99\"}")));
        x.verify(deleteRequestedFor(urlEqualTo("/2/users/user-1/likes/77")));
        x.verify(deleteRequestedFor(urlEqualTo("/2/users/user-1/retweets/77")));
        x.verify(deleteRequestedFor(urlEqualTo("/2/users/user-1/following/99")));
        x.verify(deleteRequestedFor(urlEqualTo("/2/tweets/77")));
        assertThat(x.findAll(anyRequestedFor(anyUrl()).withHeader("Authorization", equalTo("Bearer token-1")))).hasSize(ids.size());
    }

    // ---- rate limits -----------------------------------------------------------------------------

    @Test
    void a429WaitsForTheResetWithoutCallingXOrUsingTheAttemptBudget() throws Exception {
        long reset = Instant.now().plusSeconds(3).getEpochSecond() + 1;
        String scenario = "429 then ok";
        stub(post("/2/users/user-2/likes").inScenario(scenario).whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("limited"), aResponse().withStatus(429).withHeader("x-rate-limit-limit", "50")
                .withHeader("x-rate-limit-remaining", "0").withHeader("x-rate-limit-reset", String.valueOf(reset))
                .withBody("{\"title\":\"Too Many Requests\",\"detail\":\"Too Many Requests\",\"status\":429}"));
        stub(post("/2/users/user-2/likes").inScenario(scenario).whenScenarioStateIs("limited"),
                okJson("{\"data\":{\"liked\":true}}").withHeader("x-rate-limit-limit", "50")
                        .withHeader("x-rate-limit-remaining", "49")
                        .withHeader("x-rate-limit-reset", String.valueOf(reset + 900)));

        UUID id = publish(action("bot-2", "LIKE", "\"targetPostId\":\"5\""));

        assertThat(awaitResult(id).get("status").asText()).isEqualTo("SUCCEEDED");
        List<LoggedRequest> calls = XStubResource.x().findAll(postRequestedFor(urlEqualTo("/2/users/user-2/likes")));
        assertThat(calls).hasSize(2);
        assertThat(calls.get(1).getLoggedDate().toInstant()).isAfterOrEqualTo(Instant.ofEpochSecond(reset));
        assertThat(ledger(id).getString("state")).isEqualTo("SUCCEEDED");
    }

    @Test
    void aBucketOfFiveCallsIsNotOverspentBeforeItsResetAndWaitingCostsNoAttempt() throws Exception {
        long reset = Instant.now().plusSeconds(6).getEpochSecond();
        String scenario = "bucket of 5";
        for (int remaining = 4; remaining >= 0; remaining--) {
            String state = remaining == 4 ? Scenario.STARTED : "left-" + (remaining + 1);
            stub(post("/2/users/user-3/retweets").inScenario(scenario).whenScenarioStateIs(state)
                    .willSetStateTo("left-" + remaining), okJson("{\"data\":{\"retweeted\":true}}")
                    .withHeader("x-rate-limit-limit", "5").withHeader("x-rate-limit-remaining", String.valueOf(remaining))
                    .withHeader("x-rate-limit-reset", String.valueOf(reset)));
        }
        stub(post("/2/users/user-3/retweets").inScenario(scenario).whenScenarioStateIs("left-0"),
                okJson("{\"data\":{\"retweeted\":true}}").withHeader("x-rate-limit-limit", "5")
                        .withHeader("x-rate-limit-remaining", "4").withHeader("x-rate-limit-reset", String.valueOf(reset + 900)));

        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ids.add(publish(action("bot-3", "REPOST", "\"targetPostId\":\"" + (100 + i) + "\"")));
        }

        awaitResults(ids);
        List<LoggedRequest> calls = XStubResource.x().findAll(postRequestedFor(urlEqualTo("/2/users/user-3/retweets")));
        assertThat(calls).hasSize(8);
        long beforeReset = calls.stream().filter(c -> c.getLoggedDate().toInstant().isBefore(Instant.ofEpochSecond(reset))).count();
        assertThat(beforeReset).isEqualTo(5);
        // the three the limiter held back were claimed more than once, but X was called once for each
        assertThat(ids).allSatisfy(id -> assertThat(ledger(id).getInteger("attempts")).as("calls of X for %s", id).isEqualTo(1));
        assertThat(given().get("/q/metrics").asString())
                .contains("vivesphere_x_rate_limit_remaining{bot=\"bot-3\",endpoint=\"POST /2/users/:id/retweets\"}");
    }

    @Test
    void aSlowBotDoesNotHoldUpTheOthers() throws Exception {
        // With X's rate-limit headers, as X sends them: calls of a known window do not wait for each other.
        stub(post("/2/users/user-13/likes"), okJson("{\"data\":{\"liked\":true}}").withFixedDelay(1_500)
                .withHeader("x-rate-limit-limit", "1000").withHeader("x-rate-limit-remaining", "900")
                .withHeader("x-rate-limit-reset", String.valueOf(Instant.now().plusSeconds(900).getEpochSecond())));
        stub(post("/2/users/user-14/likes"), okJson("{\"data\":{\"liked\":true}}"));
        List<UUID> slow = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            slow.add(publish(action("bot-13", "LIKE", "\"targetPostId\":\"" + i + "\"")));
        }

        Instant sent = Instant.now();
        UUID fast = publish(action("bot-14", "LIKE", "\"targetPostId\":\"1\""));

        assertThat(awaitResult(fast).get("status").asText()).isEqualTo("SUCCEEDED");
        // Twelve 1.5-s calls of the slow bot take at least 4.5 s at 4 in flight; the other bot is not queued behind them.
        assertThat(Duration.between(sent, Instant.now())).isLessThan(Duration.ofMillis(1_500));
        awaitResults(slow);
    }

    @Test
    void twoWorkersSharingABucketOfFiveGetFiveCallsBetweenThem() throws Exception {
        // Two replicas: their own limiter instances, one database.
        RateLimiter first = new RateLimiter(pool, new SimpleMeterRegistry(), config);
        RateLimiter second = new RateLimiter(pool, new SimpleMeterRegistry(), config);
        first.record("bot-12", "POST /2/users/:id/likes", new RateLimit(5, 5, Instant.now().plusSeconds(60)))
                .toCompletableFuture().get();

        List<CompletableFuture<Optional<Instant>>> reservations = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            RateLimiter replica = i % 2 == 0 ? first : second;
            reservations.add(replica.reserve("bot-12", "POST /2/users/:id/likes").toCompletableFuture());
        }
        CompletableFuture.allOf(reservations.toArray(CompletableFuture[]::new)).get();

        assertThat(reservations.stream().filter(r -> r.join().isEmpty()).count()).isEqualTo(5);
    }

    @Test
    void aReservationRefusedByA429RecordedMeanwhileLooksAgainSoonNotAtThePreviousWindowsReset() throws Exception {
        RateLimiter limiter = new RateLimiter(pool, new SimpleMeterRegistry(), config);
        String bot = "bot-13";
        String endpoint = "POST /2/tweets";
        limiter.record(bot, endpoint, new RateLimit(100, 50, Instant.now().plusSeconds(900))).toCompletableFuture().get();

        // Another call's 429 being recorded: its transaction holds the bucket while this reservation starts.
        SqlConnection recording = pool.getConnection().await().indefinitely();
        try {
            Transaction transaction = recording.begin().await().indefinitely();
            recording.preparedQuery("UPDATE x_rate_limits SET remaining = 0, reset_at = now() + interval '1 second'"
                    + " WHERE bot_id = $1 AND endpoint = $2").execute(Tuple.of(bot, endpoint)).await().indefinitely();
            CompletableFuture<Optional<Instant>> reservation = limiter.reserve(bot, endpoint).toCompletableFuture();
            await().atMost(WAIT).until(() -> pool.query("SELECT count(*) FROM pg_stat_activity"
                    + " WHERE wait_event_type = 'Lock' AND datname = current_database()").execute().await().indefinitely()
                    .iterator().next().getLong(0) == 1);
            transaction.commit().await().indefinitely();

            // Refused, and tried again within moments of the 429's one-second window, not in 15 minutes.
            assertThat(reservation.get()).get().satisfies(retryAt -> assertThat(retryAt).isBefore(Instant.now().plusSeconds(5)));
        } finally {
            recording.close().await().indefinitely();
        }
    }

    // ---- failures --------------------------------------------------------------------------------

    @Test
    void a5xxTwiceThenSuccessPostsOnceAndTheLedgerSaysSucceeded() throws Exception {
        String scenario = "503 twice";
        stub(post("/2/tweets").withHeader("Authorization", equalTo("Bearer token-4")).inScenario(scenario)
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("one"),
                aResponse().withStatus(503).withBody("{\"title\":\"Service Unavailable\"}"));
        stub(post("/2/tweets").withHeader("Authorization", equalTo("Bearer token-4")).inScenario(scenario)
                .whenScenarioStateIs("one").willSetStateTo("two"),
                aResponse().withStatus(503).withBody("{\"title\":\"Service Unavailable\"}"));
        stub(post("/2/tweets").withHeader("Authorization", equalTo("Bearer token-4")).inScenario(scenario)
                .whenScenarioStateIs("two"), aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"data\":{\"id\":\"42\",\"text\":\"third time\"}}"));
        // A 5xx may hide a post X did create: before posting again the worker looks at the bot's posts.
        stub(get(urlPathEqualTo("/2/users/user-4/tweets")), okJson("{\"meta\":{\"result_count\":0}}"));

        UUID id = publish(action("bot-4", "POST", "\"text\":\"third time\""));

        JsonNode result = awaitResult(id);
        assertThat(result.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(result.get("externalId").asText()).isEqualTo("42");
        assertThat(XStubResource.x().findAll(postRequestedFor(urlEqualTo("/2/tweets"))
                .withHeader("Authorization", equalTo("Bearer token-4")))).hasSize(3);
        Row row = ledger(id);
        assertThat(row.getString("state")).isEqualTo("SUCCEEDED");
        assertThat(row.getString("external_id")).isEqualTo("42");
        assertThat(row.getInteger("attempts")).isEqualTo(3);
    }

    @Test
    void a401IsFollowedByOneRefreshAndTheCallWithTheNewToken() throws Exception {
        stub(post("/2/users/user-5/likes").withHeader("Authorization", equalTo("Bearer token-5")),
                aResponse().withStatus(401).withBody("{\"title\":\"Unauthorized\",\"detail\":\"Unauthorized\"}"));
        stub(post("/2/users/user-5/likes").withHeader("Authorization", equalTo("Bearer fresh-5")),
                okJson("{\"data\":{\"liked\":true}}"));
        stub(post("/2/oauth2/token").withRequestBody(containing("refresh_token=refresh-5")),
                okJson("{\"token_type\":\"bearer\",\"access_token\":\"fresh-5\",\"refresh_token\":\"refresh-5b\",\"expires_in\":7200}"));

        UUID id = publish(action("bot-5", "LIKE", "\"targetPostId\":\"8\""));

        assertThat(awaitResult(id).get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(XStubResource.x().findAll(postRequestedFor(urlEqualTo("/2/oauth2/token")))).hasSize(1)
                .allSatisfy(r -> assertThat(r.getBodyAsString()).contains("grant_type=refresh_token", "client_id=client-1"));
        Row token = pool.preparedQuery("SELECT access_token, refresh_token FROM x_bot_tokens WHERE bot_id = $1")
                .execute(Tuple.of("bot-5")).await().indefinitely().iterator().next();
        assertThat(token.getString("access_token")).isEqualTo("fresh-5");
        assertThat(token.getString("refresh_token")).isEqualTo("refresh-5b");
    }

    @Test
    void a401AfterTheRefreshIsDeadLetteredAsAuth() throws Exception {
        stub(post("/2/users/user-6/likes"), aResponse().withStatus(401).withBody("{\"title\":\"Unauthorized\"}"));
        stub(post("/2/oauth2/token"), okJson("{\"access_token\":\"fresh-6\",\"refresh_token\":\"r\",\"expires_in\":7200}"));

        UUID id = publish(action("bot-6", "LIKE", "\"targetPostId\":\"8\""));

        DeadLetters.Letter letter = awaitDeadLetter(id);
        assertThat(letter.headers()).containsEntry("x-vs-failure-reason", "auth").containsEntry("x-vs-failure-class", "permanent");
        assertThat(letter.headers().get("x-vs-error-message")).doesNotContain("fresh-6", "token-6");
        assertThat(awaitResult(id).get("status").asText()).isEqualTo("FAILED");
        assertThat(ledger(id).getString("state")).isEqualTo("FAILED");
        assertThat(XStubResource.x().findAll(postRequestedFor(urlEqualTo("/2/users/user-6/likes")))).hasSize(2);
    }

    @Test
    void aRejectedRequestIsDeadLetteredWithXsDetail() throws Exception {
        stub(post("/2/tweets"), aResponse().withStatus(400).withHeader("Content-Type", "application/problem+json")
                .withBody("{\"title\":\"Invalid Request\",\"detail\":\"One or more parameters to your request was invalid.\"}"));

        UUID id = publish(action("bot-7", "POST", "\"text\":\"bad\""));

        DeadLetters.Letter letter = awaitDeadLetter(id);
        assertThat(letter.headers()).containsEntry("x-vs-failure-reason", "x-rejected").containsEntry("x-vs-error-type", "http-400");
        assertThat(letter.headers().get("x-vs-error-message")).contains("One or more parameters");
    }

    // ---- exactly once ----------------------------------------------------------------------------

    @Test
    void aRedeliveredActionThatSucceededIsNotExecutedAgain() throws Exception {
        stub(post("/2/users/user-8/following"), okJson("{\"data\":{\"following\":true}}"));
        String body = action("bot-8", "FOLLOW", "\"targetUserId\":\"3\"");

        UUID id = publish(body);
        assertThat(awaitResult(id).get("status").asText()).isEqualTo("SUCCEEDED");
        publish(body);

        JsonNode second = awaitResult(id);
        assertThat(second.get("status").asText()).isEqualTo("SKIPPED_DUPLICATE");
        assertThat(second.get("actionId").asText()).isEqualTo(id.toString());
        assertThat(XStubResource.x().findAll(postRequestedFor(urlEqualTo("/2/users/user-8/following")))).hasSize(1);
    }

    @Test
    void aPostWhoseWorkerCrashedAfterSendingIsFoundInsteadOfPostedTwice() throws Exception {
        String text = "posted just before the crash";
        String body = action("bot-9", "POST", "\"text\":\"" + text + "\"");
        UUID id = BotActions.actionId(body);
        // What a worker leaves behind when it dies between sending the request and recording the answer.
        pool.preparedQuery("""
                INSERT INTO bot_action_executions (action_id, bot_id, type, state, outcome_unknown, attempts, lease_until)
                VALUES ($1, 'bot-9', 'POST', 'IN_PROGRESS', true, 1, now() - interval '1 second')""")
                .execute(Tuple.of(id)).await().indefinitely();
        stub(get(urlPathEqualTo("/2/users/user-9/tweets")),
                okJson("{\"data\":[{\"id\":\"555\",\"text\":\"" + text + "\"}],\"meta\":{\"result_count\":1}}"));
        stub(post("/2/tweets"), aResponse().withStatus(201).withBody("{\"data\":{\"id\":\"556\"}}"));

        publish(body);

        JsonNode result = awaitResult(id);
        assertThat(result.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(result.get("externalId").asText()).isEqualTo("555");
        assertThat(XStubResource.x().findAll(postRequestedFor(urlEqualTo("/2/tweets"))
                .withHeader("Authorization", equalTo("Bearer token-9")))).isEmpty();
        assertThat(ledger(id).getString("external_id")).isEqualTo("555");
    }

    @Test
    void aDuplicateContentRefusalAfterAnUnknownOutcomeMeansItWasPosted() throws Exception {
        String body = action("bot-15", "POST", "\"text\":\"posted, but the timeline lags\"");
        UUID id = BotActions.actionId(body);
        pool.preparedQuery("""
                INSERT INTO bot_action_executions (action_id, bot_id, type, state, outcome_unknown, attempts, lease_until)
                VALUES ($1, 'bot-15', 'POST', 'IN_PROGRESS', true, 1, now() - interval '1 second')""")
                .execute(Tuple.of(id)).await().indefinitely();
        stub(get(urlPathEqualTo("/2/users/user-15/tweets")), okJson("{\"meta\":{\"result_count\":0}}"));
        stub(post("/2/tweets").withHeader("Authorization", equalTo("Bearer token-15")), aResponse().withStatus(403)
                .withBody("{\"detail\":\"You are not allowed to create a Tweet with duplicate content.\",\"status\":403}"));

        publish(body);

        assertThat(awaitResult(id).get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(ledger(id).getString("state")).isEqualTo("SUCCEEDED");
        assertThat(XStubResource.x().findAll(postRequestedFor(urlEqualTo("/2/tweets"))
                .withHeader("Authorization", equalTo("Bearer token-15")))).hasSize(1);
    }

    // ---- scheduling ------------------------------------------------------------------------------

    @Test
    void anActionScheduledFiveSecondsAheadIsExecutedOnTime() throws Exception {
        stub(post("/2/users/user-10/likes"), okJson("{\"data\":{\"liked\":true}}"));
        Instant notBefore = Instant.now().plusSeconds(5);

        UUID id = publish(action("bot-10", "LIKE", "\"targetPostId\":\"1\",\"notBefore\":\"" + notBefore + "\""));

        awaitResult(id);
        List<LoggedRequest> calls = XStubResource.x().findAll(postRequestedFor(urlEqualTo("/2/users/user-10/likes")));
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).getLoggedDate().toInstant()).isBetween(notBefore, notBefore.plusSeconds(2));
    }

    @Test
    void anExpiredActionIsDeadLetteredAndNotExecuted() throws Exception {
        String expiresAt = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1).toString();

        UUID id = publish(action("bot-11", "LIKE", "\"targetPostId\":\"1\",\"expiresAt\":\"" + expiresAt + "\""));

        DeadLetters.Letter letter = awaitDeadLetter(id);
        assertThat(letter.headers()).containsEntry("x-vs-failure-reason", "expired").containsEntry("x-vs-failure-class", "expired");
        assertThat(awaitResult(id).get("status").asText()).isEqualTo("EXPIRED");
        assertThat(XStubResource.x().findAll(anyRequestedFor(anyUrl()).withHeader("Authorization", equalTo("Bearer token-11"))))
                .isEmpty();
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static void stub(MappingBuilder request, ResponseDefinitionBuilder response) {
        XStubResource.x().stubFor(request.willReturn(response));
    }

    private static String action(String botId, String type, String fields) {
        return BotActions.action(botId, type, fields);
    }

    private UUID publish(String body) throws Exception {
        return BotActions.publish(connection, body);
    }

    private List<JsonNode> awaitResults(List<UUID> actionIds) {
        return results.take(actionIds, WAIT);
    }

    private JsonNode awaitResult(UUID actionId) {
        return results.take(actionId, WAIT);
    }

    /** The dead letter of {@code actionId} (those of other actions are taken and dropped). */
    private DeadLetters.Letter awaitDeadLetter(UUID actionId) {
        return await().atMost(WAIT).until(() -> DeadLetters.take(connection, Topology.DEAD_LETTER_QUEUE),
                letter -> letter.isPresent() && letter.get().messageId().equals(actionId.toString())).get();
    }

    private Row ledger(UUID actionId) {
        return pool.preparedQuery("SELECT * FROM bot_action_executions WHERE action_id = $1").execute(Tuple.of(actionId))
                .await().indefinitely().iterator().next();
    }
}
