package com.vivesphere.mq.common.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.vivesphere.mq.common.codec.MessageCodec;
import com.vivesphere.mq.common.failure.InvalidMessageException;

/**
 * The JSON Schemas (what Python producers follow) and the Java records (what the workers accept) must be
 * the same contract: same fields, same required fields, same enums, and the same verdict on every document
 * of a corpus of valid and invalid messages.
 */
class SchemaContractTest {

    private static final String ID = "\"id\":\"5b0c1f7e-8d0a-4a61-9a57-2a9f4f1f0b11\"";
    private static final String LOG_BASE = "\"schemaVersion\":1," + ID + ",\"timestamp\":\"2026-11-26T10:15:30.123+01:00\","
            + "\"service\":\"auth\",\"level\":\"INFO\",\"message\":\"hello\"";
    private static final String ACTION_BASE = "\"schemaVersion\":1,\"actionId\":\"5b0c1f7e-8d0a-4a61-9a57-2a9f4f1f0b11\",\"botId\":\"bot-1\"";

    private static final MessageCodec CODEC = new MessageCodec();

    static Stream<Arguments> logEvents() {
        return Stream.of(
                valid("minimal", "{" + LOG_BASE + "}"),
                valid("all fields", "{" + LOG_BASE + ",\"logger\":\"a.B\",\"traceId\":\"t1\",\"spanId\":\"s1\",\"attributes\":{\"a\":\"b\"}}"),
                valid("unknown field ignored", "{" + LOG_BASE + ",\"hostname\":\"x\",\"extra\":{\"deep\":[1,2]}}"),
                valid("Z offset", "{" + LOG_BASE.replace("+01:00", "Z") + "}"),
                valid("empty message text", "{" + LOG_BASE.replace("\"hello\"", "\"\"") + "}"),
                invalid("missing id", "{" + LOG_BASE.replace(ID + ",", "") + "}"),
                invalid("missing message", "{" + LOG_BASE.replace(",\"message\":\"hello\"", "") + "}"),
                invalid("level lower-case", "{" + LOG_BASE.replace("\"INFO\"", "\"info\"") + "}"),
                invalid("level unknown", "{" + LOG_BASE.replace("\"INFO\"", "\"NOTICE\"") + "}"),
                invalid("level as number", "{" + LOG_BASE.replace("\"INFO\"", "2") + "}"),
                invalid("timestamp without offset", "{" + LOG_BASE.replace("+01:00", "") + "}"),
                invalid("timestamp as epoch number", "{" + LOG_BASE.replace("\"2026-11-26T10:15:30.123+01:00\"", "1764152130") + "}"),
                invalid("id not a uuid", "{" + LOG_BASE.replace("5b0c1f7e-8d0a-4a61-9a57-2a9f4f1f0b11", "42") + "}"),
                invalid("service as number", "{" + LOG_BASE.replace("\"auth\"", "7") + "}"),
                invalid("service blank", "{" + LOG_BASE.replace("\"auth\"", "\"  \"") + "}"),
                invalid("service null", "{" + LOG_BASE.replace("\"auth\"", "null") + "}"),
                invalid("schemaVersion 2", "{" + LOG_BASE.replace("\"schemaVersion\":1", "\"schemaVersion\":2") + "}"),
                invalid("schemaVersion as string", "{" + LOG_BASE.replace("\"schemaVersion\":1", "\"schemaVersion\":\"1\"") + "}"),
                invalid("attribute value not a string", "{" + LOG_BASE + ",\"attributes\":{\"a\":1}}"),
                invalid("attributes not an object", "{" + LOG_BASE + ",\"attributes\":[\"a\"]}"),
                invalid("message as object", "{" + LOG_BASE.replace("\"hello\"", "{\"a\":1}") + "}"),
                invalid("array instead of object", "[{" + LOG_BASE + "}]"),
                invalid("service too long", "{" + LOG_BASE.replace("\"auth\"", "\"" + "s".repeat(129) + "\"") + "}"));
    }

    static Stream<Arguments> botActions() {
        return Stream.of(
                valid("post with text", "{" + ACTION_BASE + ",\"type\":\"POST\",\"text\":\"hi\"}"),
                valid("post with media only", "{" + ACTION_BASE + ",\"type\":\"POST\",\"mediaIds\":[\"m1\"]}"),
                valid("reply", "{" + ACTION_BASE + ",\"type\":\"REPLY\",\"text\":\"hi\",\"targetPostId\":\"1\"}"),
                valid("quote", "{" + ACTION_BASE + ",\"type\":\"QUOTE\",\"text\":\"hi\",\"targetPostId\":\"1\"}"),
                valid("delete", "{" + ACTION_BASE + ",\"type\":\"DELETE\",\"targetPostId\":\"1\"}"),
                valid("like", "{" + ACTION_BASE + ",\"type\":\"LIKE\",\"targetPostId\":\"1\"}"),
                valid("unrepost", "{" + ACTION_BASE + ",\"type\":\"UNREPOST\",\"targetPostId\":\"1\"}"),
                valid("follow", "{" + ACTION_BASE + ",\"type\":\"FOLLOW\",\"targetUserId\":\"u1\"}"),
                valid("scheduled with deadline", "{" + ACTION_BASE + ",\"type\":\"UNFOLLOW\",\"targetUserId\":\"u1\","
                        + "\"notBefore\":\"2026-12-01T08:00:00Z\",\"expiresAt\":\"2026-12-01T09:00:00+01:00\","
                        + "\"correlationId\":\"c\",\"requestedBy\":\"scheduler\"}"),
                valid("unknown field ignored", "{" + ACTION_BASE + ",\"type\":\"LIKE\",\"targetPostId\":\"1\",\"priority\":9}"),
                invalid("post without text or media", "{" + ACTION_BASE + ",\"type\":\"POST\"}"),
                invalid("post with blank text", "{" + ACTION_BASE + ",\"type\":\"POST\",\"text\":\" \"}"),
                invalid("post with empty media", "{" + ACTION_BASE + ",\"type\":\"POST\",\"mediaIds\":[]}"),
                invalid("reply without target", "{" + ACTION_BASE + ",\"type\":\"REPLY\",\"text\":\"hi\"}"),
                invalid("reply without text", "{" + ACTION_BASE + ",\"type\":\"REPLY\",\"targetPostId\":\"1\"}"),
                invalid("like without target", "{" + ACTION_BASE + ",\"type\":\"LIKE\"}"),
                invalid("follow with post instead of user", "{" + ACTION_BASE + ",\"type\":\"FOLLOW\",\"targetPostId\":\"1\"}"),
                invalid("unknown type", "{" + ACTION_BASE + ",\"type\":\"BLOCK\",\"targetUserId\":\"u1\"}"),
                invalid("missing botId", "{\"schemaVersion\":1,\"actionId\":\"5b0c1f7e-8d0a-4a61-9a57-2a9f4f1f0b11\",\"type\":\"LIKE\",\"targetPostId\":\"1\"}"),
                invalid("missing type", "{" + ACTION_BASE + ",\"targetPostId\":\"1\"}"),
                invalid("mediaIds not an array", "{" + ACTION_BASE + ",\"type\":\"POST\",\"mediaIds\":\"m1\"}"),
                invalid("media id not a string", "{" + ACTION_BASE + ",\"type\":\"POST\",\"mediaIds\":[1]}"),
                invalid("too many media", "{" + ACTION_BASE + ",\"type\":\"POST\",\"mediaIds\":[\"1\",\"2\",\"3\",\"4\",\"5\"]}"),
                invalid("targetPostId as number", "{" + ACTION_BASE + ",\"type\":\"LIKE\",\"targetPostId\":1}"),
                invalid("notBefore without offset", "{" + ACTION_BASE + ",\"type\":\"LIKE\",\"targetPostId\":\"1\",\"notBefore\":\"2026-12-01T08:00:00\"}"));
    }

    @ParameterizedTest(name = "LogEvent {0}")
    @MethodSource("logEvents")
    void logEventSchemaAndRecordAgree(String name, String json, boolean expectedValid) throws Exception {
        assertVerdicts(SchemaContract.schema(SchemaContract.LOG_EVENT), CODEC.decoderFor(LogEvent.class), json, expectedValid);
    }

    @ParameterizedTest(name = "BotAction {0}")
    @MethodSource("botActions")
    void botActionSchemaAndRecordAgree(String name, String json, boolean expectedValid) throws Exception {
        assertVerdicts(SchemaContract.schema(SchemaContract.BOT_ACTION), CODEC.decoderFor(BotAction.class), json, expectedValid);
    }

    @Test
    void schemasListExactlyTheRecordComponents() {
        assertFieldsMatch(SchemaContract.LOG_EVENT, LogEvent.class);
        assertFieldsMatch(SchemaContract.BOT_ACTION, BotAction.class);
        assertFieldsMatch(SchemaContract.BOT_ACTION_RESULT, BotActionResult.class);
    }

    @Test
    void anEncodedResultSatisfiesItsSchema() throws Exception {
        assertEncodedResultSatisfiesItsSchema(false);
    }

    @Test
    void anEncodedDryRunResultSatisfiesItsSchemaAndSaysSo() throws Exception {
        String json = assertEncodedResultSatisfiesItsSchema(true);

        assertThat(json).contains("\"dryRun\":true");
    }

    private static String assertEncodedResultSatisfiesItsSchema(boolean dryRun) throws Exception {
        BotAction action = new MessageCodec().decoderFor(BotAction.class).decode(
                com.vivesphere.mq.testing.SampleMessages.likeAction(java.util.UUID.randomUUID(), "bot-1")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        BotActionResult result = BotActionResult.of(action, BotActionStatus.SUCCEEDED, "1460323737035677698", null, 1,
                java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC), dryRun);
        String json = new String(new MessageCodec().encode(result), java.nio.charset.StandardCharsets.UTF_8);

        assertThat(SchemaContract.violations(SchemaContract.schema(SchemaContract.BOT_ACTION_RESULT), json)).isEmpty();
        assertThat(new MessageCodec().decoderFor(BotActionResult.class).decode(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isEqualTo(result);
        assertThat(result.routingKey()).isEqualTo("succeeded.bot-1");
        return json;
    }

    @Test
    void schemaEnumsAreTheJavaEnums() {
        assertThat(enumValues(SchemaContract.schemaDocument(SchemaContract.LOG_EVENT).at("/properties/level/enum")))
                .containsExactly(Arrays.stream(LogLevel.values()).map(Enum::name).toArray(String[]::new));
        assertThat(enumValues(SchemaContract.schemaDocument(SchemaContract.BOT_ACTION).at("/properties/type/enum")))
                .containsExactly(Arrays.stream(BotActionType.values()).map(Enum::name).toArray(String[]::new));
        JsonNode result = SchemaContract.schemaDocument(SchemaContract.BOT_ACTION_RESULT);
        assertThat(enumValues(result.at("/properties/type/enum")))
                .containsExactly(Arrays.stream(BotActionType.values()).map(Enum::name).toArray(String[]::new));
        assertThat(enumValues(result.at("/properties/status/enum")))
                .containsExactly(Arrays.stream(BotActionStatus.values()).map(Enum::name).toArray(String[]::new));
    }

    private static void assertVerdicts(JsonSchema schema, MessageCodec.Decoder<?> decoder, String json, boolean expectedValid)
            throws Exception {
        var violations = SchemaContract.violations(schema, json);
        String javaError = null;
        try {
            decoder.decode(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (InvalidMessageException e) {
            javaError = e.reason().code() + ": " + e.getMessage();
        }
        assertThat(violations).as("schema verdict on %s", json).matches(v -> v.isEmpty() == expectedValid, expectedValid ? "no violations" : "violations");
        assertThat(javaError).as("Java verdict on %s", json).matches(e -> (e == null) == expectedValid,
                expectedValid ? "accepted" : "rejected");
    }

    private static void assertFieldsMatch(String schemaResource, Class<? extends Record> type) {
        JsonNode schema = SchemaContract.schemaDocument(schemaResource);
        Set<String> schemaFields = new TreeSet<>();
        schema.get("properties").fieldNames().forEachRemaining(schemaFields::add);
        Set<String> recordFields = new TreeSet<>();
        Set<String> requiredInRecord = new TreeSet<>();
        for (var component : type.getRecordComponents()) {
            recordFields.add(component.getName());
            JsonProperty property = fieldAnnotation(type, component.getName());
            if (property != null && property.required()) {
                requiredInRecord.add(component.getName());
            }
        }
        Set<String> requiredInSchema = new TreeSet<>(enumValues(schema.get("required")));
        assertThat(schemaFields).as("fields of %s", schemaResource).isEqualTo(recordFields);
        assertThat(requiredInSchema).as("required fields of %s", schemaResource).isEqualTo(requiredInRecord);
    }

    private static JsonProperty fieldAnnotation(Class<?> type, String name) {
        try {
            return type.getDeclaredField(name).getAnnotation(JsonProperty.class);
        } catch (NoSuchFieldException e) {
            return null;
        }
    }

    private static List<String> enumValues(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static Arguments valid(String name, String json) {
        return Arguments.of(name, json, true);
    }

    private static Arguments invalid(String name, String json) {
        return Arguments.of(name, json, false);
    }
}
