package com.vivesphere.mq.logconsumer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.vivesphere.mq.testing.TestBrokerAndDatabaseResource;
import com.vivesphere.mq.testing.TestKeyPair;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;

/**
 * The query API as production runs it (LOG_CONSUMER_API_ACCESS=logs-reader): bearer tokens signed by the configured
 * key and carrying the logs-reader role read; anything else is refused with a problem; health needs no token.
 */
@QuarkusTest
@TestProfile(LogQueryApiAccessIT.TokensRequired.class)
@WithTestResource(TestBrokerAndDatabaseResource.class)
class LogQueryApiAccessIT {

    private static final String ISSUER = "https://idp.test.vivesphere";
    private static final TestKeyPair KEY = new TestKeyPair();
    private static final TestKeyPair OTHER_KEY = new TestKeyPair();

    /** The production policy, with a public key file of the test's own. */
    public static class TokensRequired implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.auth.permission.logs.policy", "logs-reader",
                    "mp.jwt.verify.publickey.location", publicKeyFile().toString(), "mp.jwt.verify.issuer", ISSUER);
        }
    }

    @Test
    void aValidTokenWithTheRoleReads() {
        withToken(token(KEY.privateKey(), Set.of("logs-reader"), Instant.now().plusSeconds(300))).get("/logs").then()
                .statusCode(200).body("items", notNullValue());
    }

    @Test
    void withoutATokenTheAnswerIsA401Problem() {
        given().get("/logs/stats").then().statusCode(401).contentType("application/problem+json").body("status", equalTo(401))
                .header("WWW-Authenticate", "Bearer");
    }

    @Test
    void aTokenSignedByAnotherKeyIsRefused() {
        withToken(token(OTHER_KEY.privateKey(), Set.of("logs-reader"), Instant.now().plusSeconds(300))).get("/logs").then()
                .statusCode(401).contentType("application/problem+json");
    }

    @Test
    void anExpiredTokenIsRefused() {
        withToken(token(KEY.privateKey(), Set.of("logs-reader"), Instant.now().minusSeconds(600))).get("/logs").then()
                .statusCode(401).contentType("application/problem+json");
    }

    @Test
    void aTokenWithoutTheRoleIsForbidden() {
        withToken(token(KEY.privateKey(), Set.of("dashboards"), Instant.now().plusSeconds(300))).get("/logs").then()
                .statusCode(403).contentType("application/problem+json").body("status", equalTo(403));
    }

    @Test
    void healthAndMetricsNeedNoToken() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
    }

    private static RequestSpecification withToken(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    private static String token(PrivateKey key, Set<String> groups, Instant expires) {
        return Jwt.issuer(ISSUER).upn("reader@vivesphere.test").groups(groups).issuedAt(expires.minusSeconds(900))
                .expiresAt(expires).sign(key);
    }

    private static Path publicKeyFile() {
        try {
            Path file = Files.createTempFile("log-consumer-jwt", ".pem");
            file.toFile().deleteOnExit();
            return KEY.writePublicKey(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
