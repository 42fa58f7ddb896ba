package com.vivesphere.mq.ops;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The Kubernetes API's and the Prometheus Operator's objects read into fabric8's models (generated from the
 * APIs' OpenAPI schemas and the operator's CRDs), strictly: a value of the wrong type fails to read, and a field
 * the schema does not have, which fabric8 keeps aside in {@code additionalProperties} rather than refusing, is
 * reported with its path.
 */
final class StrictModels {

    /** apiVersion/kind to its model, for every such kind deploy/kubernetes renders. */
    static final Map<String, Class<?>> MODELS = Map.of(
            "v1/Namespace", io.fabric8.kubernetes.api.model.Namespace.class,
            "v1/Service", io.fabric8.kubernetes.api.model.Service.class,
            "apps/v1/Deployment", io.fabric8.kubernetes.api.model.apps.Deployment.class,
            "policy/v1/PodDisruptionBudget", io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class,
            "networking.k8s.io/v1/NetworkPolicy", io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class,
            "monitoring.coreos.com/v1/ServiceMonitor", io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor.class);

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private StrictModels() {
    }

    static String typeOf(JsonNode object) {
        return object.path("apiVersion").asText() + "/" + object.path("kind").asText();
    }

    /** What is wrong with an object of one of {@link #MODELS}' kinds; empty when it matches its schema. */
    static List<String> problems(JsonNode object) {
        Class<?> model = MODELS.get(typeOf(object));
        if (model == null) {
            return List.of(typeOf(object) + " has no model here");
        }
        try {
            List<String> problems = new ArrayList<>();
            unknownFields(MAPPER.treeToValue(object, model), "", problems);
            return problems;
        } catch (JsonProcessingException e) {
            return List.of(e.getOriginalMessage());
        }
    }

    private static void unknownFields(Object value, String path, List<String> problems) {
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", problems);
            }
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> unknownFields(item, path + "." + key, problems));
        } else if (value != null && value.getClass().getName().startsWith("io.fabric8.")) {
            for (Class<?> type = value.getClass(); type != Object.class; type = type.getSuperclass()) {
                for (Field field : type.getDeclaredFields()) {
                    if (Modifier.isStatic(field.getModifiers()) || field.getType().isPrimitive() || field.getType().isEnum()) {
                        continue;
                    }
                    Object fieldValue = read(field, value);
                    if (field.getName().equals("additionalProperties")) {
                        ((Map<?, ?>) fieldValue).keySet().forEach(key -> problems.add(path + "." + key + ": no such field"));
                    } else {
                        unknownFields(fieldValue, path + "." + field.getName(), problems);
                    }
                }
            }
        }
    }

    private static Object read(Field field, Object owner) {
        try {
            field.setAccessible(true);
            return field.get(owner);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
