package com.vivesphere.mq.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * The stand-in for the X API v2 (the real one is out of reach from tests): a WireMock server with state, so that
 * effects can be counted. Posts are created once per text and user (a second one is refused as "duplicate
 * content", as X does) and listed on the user's timeline (the worker reconciles through it); likes are recorded.
 * Every response carries generous rate-limit headers. Tweet ids starting with {@code fail} answer 503 for ever
 * (poison actions), those starting with {@code reject} answer 400 quoting the request's Authorization header (for
 * the redaction check). A post whose text starts with {@link #THROTTLED_ONCE} is answered 429 the first time (the bot's
 * window used up until a second from now, {@code Retry-After: 1}), one starting with {@link #UNAVAILABLE_ONCE} 503
 * the first time (nothing created), as X does now and then; both are created when asked again. Bot {@code bot-<n>} is X user {@code user-<n>} with access token {@code <tokenPrefix><n>}.
 * A test that needs other answers stubs them on {@link #wireMock()}.
 */
public final class XApiStub implements AutoCloseable {

    /** Bots of {@link #credentialsFile(Path, String)}. */
    public static final int BOTS = 20;
    /** Text prefix of a post refused once with 429. */
    public static final String THROTTLED_ONCE = "throttled-once ";
    /** Text prefix of a post refused once with 503. */
    public static final String UNAVAILABLE_ONCE = "unavailable-once ";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TIMELINE = Pattern.compile("/2/users/([^/]+)/tweets.*");
    private static final Pattern LIKES = Pattern.compile("/2/users/([^/]+)/likes");

    private record Post(String id, String text, Instant at) {
    }

    private final Map<String, List<Post>> timelines = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> created = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> likeCalls = new ConcurrentHashMap<>();
    private final AtomicLong postRequests = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong timelineRequests = new AtomicLong();
    /** Texts already refused once (by {@link #THROTTLED_ONCE} or {@link #UNAVAILABLE_ONCE}). */
    private final Set<String> refusedOnce = ConcurrentHashMap.newKeySet();
    private final AtomicLong throttled = new AtomicLong();
    private final AtomicLong unavailable = new AtomicLong();
    private final AtomicLong ids = new AtomicLong(1_900_000_000_000_000_000L);
    private final String tokenPrefix;
    private final WireMockServer server;

    private XApiStub(Duration latency, String tokenPrefix, boolean recordRequests) {
        this.tokenPrefix = tokenPrefix;
        WireMockConfiguration options = WireMockConfiguration.options().dynamicPort().containerThreads(80)
                .asynchronousResponseEnabled(true).asynchronousResponseThreads(8).extensions(new Behaviour());
        server = new WireMockServer(recordRequests ? options : options.disableRequestJournal());
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse().withFixedDelay((int) latency.toMillis()).withTransformers("x")));
    }

    /** A stub answering after {@code latency}, with access tokens {@code <tokenPrefix><n>}; it keeps no request log. */
    public XApiStub(Duration latency, String tokenPrefix) {
        this(latency, tokenPrefix, false);
    }

    public XApiStub(Duration latency) {
        this(latency, "token-");
    }

    /** A stub answering at once that keeps every request, for tests that verify the calls made. */
    public static XApiStub recording() {
        return new XApiStub(Duration.ZERO, "token-", true);
    }

    public String baseUrl() {
        return server.baseUrl();
    }

    /** The WireMock server, for answers of a test's own and for verifying requests (of a {@link #recording()} stub). */
    public WireMockServer wireMock() {
        return server;
    }

    /** Writes the worker's credentials file for {@link #BOTS} bots. */
    public Path credentialsFile(Path directory, String refreshPrefix) {
        return credentialsFile(directory, refreshPrefix, BOTS);
    }

    /** Writes the worker's credentials file: {@code bot-<n>} is user {@code user-<n>}, {@code n} from 1 to {@code bots}. */
    public Path credentialsFile(Path directory, String refreshPrefix, int bots) {
        StringBuilder json = new StringBuilder("{");
        for (int n = 1; n <= bots; n++) {
            json.append(n > 1 ? "," : "").append("""
                    "bot-%d": {"userId": "user-%d", "accessToken": "%s%d", "refreshToken": "%s%d",
                               "clientId": "client-1", "expiresAt": "%s"}""".formatted(n, n, tokenPrefix, n, refreshPrefix, n,
                    Instant.now().plusSeconds(7_200)));
        }
        try {
            Files.createDirectories(directory);
            Path file = Files.createTempFile(directory, "bot-credentials", ".json");
            Files.writeString(file, json.append('}').toString());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Worker environment for calling this stub with the credentials in {@code credentials}. */
    public Map<String, String> env(Path credentials) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("BOT_EXECUTOR", "x");
        env.put("BOT_CREDENTIALS_FILE", credentials.toString());
        env.put("X_API_BASE_URL", baseUrl());
        env.put("X_API_READ_TIMEOUT", "5000");
        return env;
    }

    /** Posts created with exactly this text (0, or 1 when nothing was posted twice). */
    public int created(String text) {
        AtomicInteger count = created.get(text);
        return count == null ? 0 : count.get();
    }

    public long postsCreated() {
        return created.values().stream().mapToLong(AtomicInteger::get).sum();
    }

    public long textsPostedMoreThanOnce() {
        return created.values().stream().filter(c -> c.get() > 1).count();
    }

    public long postRequests() {
        return postRequests.get();
    }

    public long duplicatesRefused() {
        return duplicates.get();
    }

    public long timelineRequests() {
        return timelineRequests.get();
    }

    /** Posts answered 429 ({@link #THROTTLED_ONCE}). */
    public long throttled() {
        return throttled.get();
    }

    /** Posts answered 503 ({@link #UNAVAILABLE_ONCE}). */
    public long unavailable() {
        return unavailable.get();
    }

    /** Like calls received for one tweet id. */
    public int likeCalls(String tweetId) {
        AtomicInteger count = likeCalls.get(tweetId);
        return count == null ? 0 : count.get();
    }

    public long likeCalls() {
        return likeCalls.values().stream().mapToLong(AtomicInteger::get).sum();
    }

    @Override
    public void close() {
        server.stop();
    }

    private final class Behaviour implements ResponseDefinitionTransformerV2 {

        @Override
        public String getName() {
            return "x";
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            Request request = event.getRequest();
            ResponseDefinitionBuilder response = answer(event, 999_999, Instant.now().plusSeconds(900));
            String path = request.getUrl();
            String method = request.getMethod().getName();
            try {
                if (method.equals("POST") && path.equals("/2/tweets")) {
                    return createPost(event, response);
                }
                Matcher timeline = TIMELINE.matcher(path);
                if (method.equals("GET") && timeline.matches()) {
                    timelineRequests.incrementAndGet();
                    ArrayNode data = JSON.createArrayNode();
                    List<Post> listed = timelines.getOrDefault(timeline.group(1), List.of());
                    List<Post> posts;
                    synchronized (listed) {
                        posts = new ArrayList<>(listed);
                    }
                    for (int i = posts.size() - 1; i >= 0 && data.size() < 100; i--) {
                        data.addObject().put("id", posts.get(i).id()).put("text", posts.get(i).text());
                    }
                    ObjectNode body = JSON.createObjectNode();
                    body.set("data", data);
                    return response.withStatus(200).withBody(body.toString()).build();
                }
                Matcher likes = LIKES.matcher(path);
                if (method.equals("POST") && likes.matches()) {
                    String tweet = JSON.readTree(request.getBodyAsString()).path("tweet_id").asText();
                    likeCalls.computeIfAbsent(tweet, t -> new AtomicInteger()).incrementAndGet();
                    if (tweet.startsWith("fail")) {
                        return response.withStatus(503).withBody("{\"title\":\"Service Unavailable\",\"status\":503}").build();
                    }
                    if (tweet.startsWith("reject")) {
                        return response.withStatus(400).withBody(JSON.createObjectNode().put("title", "Invalid Request")
                                .put("detail", "cannot like " + tweet + " with Authorization: " + request.getHeader("Authorization"))
                                .toString()).build();
                    }
                    return response.withStatus(200).withBody("{\"data\":{\"liked\":true}}").build();
                }
            } catch (IOException e) {
                return response.withStatus(400).withBody("{\"title\":\"Invalid Request\"}").build();
            }
            return response.withStatus(404).withBody("{\"title\":\"Not Found Error\"}").build();
        }

        private ResponseDefinitionBuilder answer(ServeEvent event, int remaining, Instant reset) {
            return ResponseDefinitionBuilder.like(event.getResponseDefinition())
                    .withHeader("Content-Type", "application/json")
                    .withHeader("x-rate-limit-limit", "1000000")
                    .withHeader("x-rate-limit-remaining", String.valueOf(remaining))
                    .withHeader("x-rate-limit-reset", String.valueOf(reset.getEpochSecond()));
        }

        /** {@code user-<n>} for {@code Bearer <tokenPrefix><n>}, else null. */
        private String userOf(String authorization) {
            String bearer = "Bearer " + tokenPrefix;
            if (authorization == null || !authorization.startsWith(bearer)) {
                return null;
            }
            String n = authorization.substring(bearer.length());
            return n.matches("[1-9][0-9]*") ? "user-" + n : null;
        }

        private ResponseDefinition createPost(ServeEvent event, ResponseDefinitionBuilder response) throws IOException {
            Request request = event.getRequest();
            postRequests.incrementAndGet();
            String user = userOf(request.getHeader("Authorization"));
            if (user == null) {
                return response.withStatus(401).withBody("{\"title\":\"Unauthorized\",\"status\":401}").build();
            }
            JsonNode body = JSON.readTree(request.getBodyAsString());
            String text = body.path("text").asText();
            if (text.startsWith(THROTTLED_ONCE) && refusedOnce.add(text)) {
                throttled.incrementAndGet();
                return answer(event, 0, Instant.now().plusSeconds(1)).withHeader("Retry-After", "1").withStatus(429)
                        .withBody("{\"title\":\"Too Many Requests\",\"status\":429}").build();
            }
            if (text.startsWith(UNAVAILABLE_ONCE) && refusedOnce.add(text)) {
                unavailable.incrementAndGet();
                return response.withStatus(503).withBody("{\"title\":\"Service Unavailable\",\"status\":503}").build();
            }
            List<Post> timeline = timelines.computeIfAbsent(user, u -> new ArrayList<>());
            synchronized (timeline) {
                if (timeline.stream().anyMatch(p -> p.text().equals(text))) {
                    duplicates.incrementAndGet();
                    return response.withStatus(403).withBody("{\"title\":\"Forbidden\",\"status\":403,"
                            + "\"detail\":\"You are not allowed to create a Tweet with duplicate content.\"}").build();
                }
                Post post = new Post(String.valueOf(ids.incrementAndGet()), text, Instant.now());
                timeline.add(post);
                created.computeIfAbsent(text, t -> new AtomicInteger()).incrementAndGet();
                return response.withStatus(201).withBody(JSON.createObjectNode().set("data",
                        JSON.createObjectNode().put("id", post.id()).put("text", text)).toString()).build();
            }
        }
    }
}
