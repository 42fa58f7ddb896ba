package com.vivesphere.mq.common.message;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/** The published JSON Schemas, loaded from the classpath as Python producers would read the files. */
public final class SchemaContract {

    public static final String LOG_EVENT = "/schemas/log-event.schema.json";
    public static final String BOT_ACTION = "/schemas/bot-action.schema.json";
    public static final String BOT_ACTION_RESULT = "/schemas/bot-action-result.schema.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private SchemaContract() {
    }

    public static JsonNode schemaDocument(String resource) {
        try (InputStream in = SchemaContract.class.getResourceAsStream(resource)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static JsonSchema schema(String resource) {
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaDocument(resource), config);
    }

    public static Set<ValidationMessage> violations(JsonSchema schema, String json) throws IOException {
        return schema.validate(JSON.readTree(json));
    }
}
