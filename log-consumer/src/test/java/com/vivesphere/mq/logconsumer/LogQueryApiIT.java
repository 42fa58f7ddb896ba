package com.vivesphere.mq.logconsumer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.rabbitmq.client.Connection;
import com.vivesphere.mq.logconsumer.api.UriLengthLimit;
import com.vivesphere.mq.testing.BrokerAdmin;
import com.vivesphere.mq.testing.TestBrokerAndDatabaseResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** The query API over events that went through the broker into the real PostgreSQL. */
@QuarkusTest
@WithTestResource(TestBrokerAndDatabaseResource.class)
class LogQueryApiIT {

    private static final OffsetDateTime BASE = OffsetDateTime.now(ZoneOffset.UTC).minusHours(1).withNano(0);
    private static final UUID TRACED = UUID.randomUUID();
    private static String service;

    @ConfigProperty(name = "rabbitmq-virtual-host")
    String vhost;

    @BeforeEach
    void storeEventsOnce() throws Exception {
        if (service != null) {
            return;
        }
        service = "api-" + UUID.randomUUID().toString().substring(0, 8);
        String[] levels = { "DEBUG", "INFO", "WARN", "ERROR", "INFO", "INFO" };
        try (Connection connection = new BrokerAdmin().connect(vhost)) {
            for (int i = 0; i < levels.length; i++) {
                String body = """
                        {"schemaVersion":1,"id":"%s","timestamp":"%s","service":"%s","level":"%s","message":"%s"%s}"""
                        .formatted(i == 3 ? TRACED : UUID.randomUUID(), BASE.plusMinutes(i), service, levels[i],
                                i == 2 ? "Payment TIMEOUT for order 7" : "message " + i, i == 3 ? ",\"traceId\":\"trace-9\"" : "");
                LogTraffic.publish(connection, levels[i].toLowerCase() + "." + service, List.of(body));
            }
            LogTraffic.publish(connection, "info.other-service", List.of("""
                    {"schemaVersion":1,"id":"%s","timestamp":"%s","service":"other-service","level":"INFO","message":"x"}"""
                    .formatted(UUID.randomUUID(), BASE)));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> LogTraffic.rows("service IN ('" + service + "', 'other-service')") == 7);
    }

    @Test
    void newestFirstWithTheContractFields() {
        JsonPath page = given().queryParam("service", service).get("/logs").then().statusCode(200)
                .body("next", nullValue()).extract().jsonPath();
        assertThat(page.getList("items.message", String.class)).containsExactly("message 5", "message 4", "message 3",
                "Payment TIMEOUT for order 7", "message 1", "message 0");
        assertThat(page.getInt("items[0].schemaVersion")).isEqualTo(1);
        assertThat(page.getString("items[0].service")).isEqualTo(service);
    }

    @Test
    void filtersCombine() {
        assertThat(messages(Map.of("service", service, "level", "warn"))).containsExactly("message 3", "Payment TIMEOUT for order 7");
        assertThat(messages(Map.of("service", service, "q", "timeout"))).containsExactly("Payment TIMEOUT for order 7");
        assertThat(messages(Map.of("traceId", "trace-9"))).containsExactly("message 3");
        assertThat(messages(Map.of("service", service, "from", BASE.plusMinutes(1).toString(), "to",
                BASE.plusMinutes(3).toString()))).containsExactly("Payment TIMEOUT for order 7", "message 1");
    }

    @Test
    void cursorPagingVisitsEveryEventOnce() {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = given().queryParam("service", service).queryParam("limit", 4);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/logs").then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("items.message", String.class));
            cursor = page.getString("next");
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(2);
        assertThat(seen).hasSize(6).doesNotHaveDuplicates();
    }

    @Test
    void oneEventByIdAndProblemsForUnknownOrMalformedIds() {
        given().get("/logs/" + TRACED).then().statusCode(200).body("traceId", equalTo("trace-9")).body("level", equalTo("ERROR"));
        given().get("/logs/" + UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json");
        given().get("/logs/not-a-uuid").then().statusCode(400).body("invalidParams[0].name", equalTo("id"));
    }

    @Test
    void statsCountByServiceAndLevel() {
        JsonPath stats = given().queryParam("service", service).get("/logs/stats").then().statusCode(200).extract().jsonPath();
        assertThat(stats.getList("counts.level", String.class)).containsExactly("DEBUG", "INFO", "WARN", "ERROR");
        assertThat(stats.getList("counts.count", Integer.class)).containsExactly(1, 3, 1, 1);
        JsonPath all = given().get("/logs/stats").then().statusCode(200).extract().jsonPath();
        assertThat(all.getList("counts.service", String.class)).contains("other-service", service);
    }

    @ParameterizedTest
    @CsvSource({ "level,LOUD", "limit,0", "limit,1001", "limit,ten", "from,yesterday", "to,2026-13-01T00:00:00Z",
            "cursor,bm90LWEtY3Vyc29y" })
    void invalidParametersAreProblemsNamingTheParameter(String parameter, String value) {
        given().queryParam(parameter, value).get("/logs").then().statusCode(400).contentType("application/problem+json")
                .body("status", equalTo(400)).body("invalidParams[0].name", equalTo(parameter));
    }

    @ParameterizedTest
    @CsvSource({ "q", "service", "traceId" })
    void aNulCharacterInATextParameterIsAProblemNamingIt(String parameter) {
        // %00 as a client sends it: RestAssured would encode a literal NUL itself
        given().urlEncodingEnabled(false).get("/logs?" + parameter + "=a%00b").then().statusCode(400)
                .contentType("application/problem+json").body("invalidParams[0].name", equalTo(parameter));
    }

    @Test
    void aLongQIsAProblemNamingItAndAnOverlongUriIsA414Problem() {
        given().queryParam("q", "x".repeat(8_000)).get("/logs").then().statusCode(400)
                .contentType("application/problem+json").body("invalidParams[0].name", equalTo("q"));
        given().queryParam("q", "x".repeat(UriLengthLimit.MAX_URI_LENGTH)).get("/logs").then().statusCode(414)
                .contentType("application/problem+json").body("status", equalTo(414));
    }

    @Test
    void toAloneEndsTheWindowThatStartsWithRetention() {
        // a "to" in the future: the window still starts at the retention limit, not 7 days before "to"
        String future = OffsetDateTime.now(ZoneOffset.UTC).plusDays(30).toString();
        assertThat(messages(Map.of("service", service, "to", future))).hasSize(6);
        JsonPath stats = given().queryParam("service", service).queryParam("to", future).get("/logs/stats").then()
                .statusCode(200).extract().jsonPath();
        assertThat(OffsetDateTime.parse(stats.getString("from"))).isBefore(BASE);
        given().queryParam("to", OffsetDateTime.now(ZoneOffset.UTC).minusDays(8).toString()).get("/logs").then()
                .statusCode(400).contentType("application/problem+json").body("invalidParams[0].name", equalTo("to"));
    }

    @Test
    void fromIsInclusiveAndToExclusive() {
        assertThat(messages(Map.of("service", service, "from", BASE.toString(), "to", BASE.plusMinutes(1).toString())))
                .containsExactly("message 0");
    }

    @Test
    void anEmptyTimeWindowIsAProblem() {
        given().queryParam("from", BASE.toString()).queryParam("to", BASE.minusMinutes(1).toString()).get("/logs/stats")
                .then().statusCode(400).body("invalidParams[0].name", equalTo("from"));
    }

    private static List<String> messages(Map<String, String> parameters) {
        return given().queryParams(parameters).get("/logs").then().statusCode(200).extract().jsonPath()
                .getList("items.message", String.class);
    }
}
