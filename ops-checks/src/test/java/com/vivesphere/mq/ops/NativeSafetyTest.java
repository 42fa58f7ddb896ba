package com.vivesphere.mq.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.ClassType;
import org.jboss.jandex.DotName;
import org.jboss.jandex.Index;
import org.jboss.jandex.Indexer;
import org.jboss.jandex.MethodInfo;
import org.jboss.jandex.RecordComponentInfo;
import org.jboss.jandex.Type;
import org.junit.jupiter.api.Test;

/**
 * What a native image needs that the JVM does not: every type Jackson reads or writes by reflection (the message
 * contract, the query API's answers and problem documents) registered with {@code @RegisterForReflection}. Reads the
 * compiled classes with Jandex (that no reflection-heavy library is packaged: {@link PackagedAppsIT}).
 */
class NativeSafetyTest {

    private static final DotName REGISTER_FOR_REFLECTION = DotName.createSimple("io.quarkus.runtime.annotations.RegisterForReflection");
    private static final Set<DotName> HTTP_METHODS = Set.of("GET", "POST", "PUT", "DELETE", "PATCH").stream()
            .map(m -> DotName.createSimple("jakarta.ws.rs." + m)).collect(java.util.stream.Collectors.toSet());
    private static final DotName SERVER_EXCEPTION_MAPPER = DotName.createSimple("org.jboss.resteasy.reactive.server.ServerExceptionMapper");

    private final Index index = index("common-messages", "worker-runtime", "log-consumer", "bot-action-worker");

    @Test
    void messageContractTypesAreRegisteredForReflection() {
        // the message records and every type Jackson reaches through their components
        Deque<Type> roots = new ArrayDeque<>();
        for (ClassInfo type : index.getKnownClasses()) {
            if (type.name().packagePrefix().endsWith(".message") && type.isRecord()) {
                roots.add(ClassType.create(type.name()));
            }
        }
        Set<String> contract = reachable(roots);
        assertThat(contract).contains("com.vivesphere.mq.common.message.LogEvent", "com.vivesphere.mq.common.message.BotAction",
                "com.vivesphere.mq.common.message.LogLevel", "com.vivesphere.mq.common.message.BotActionType");
        assertThat(unregistered(contract)).as("message types without @RegisterForReflection").isEmpty();
    }

    @Test
    void apiTypesAreRegisteredForReflection() {
        // what the REST endpoints and exception mappers return, and the records of the api packages (entities)
        Deque<Type> roots = new ArrayDeque<>();
        for (ClassInfo type : index.getKnownClasses()) {
            for (MethodInfo method : type.methods()) {
                boolean endpoint = HTTP_METHODS.stream().anyMatch(method::hasDeclaredAnnotation);
                if (endpoint || method.hasDeclaredAnnotation(SERVER_EXCEPTION_MAPPER)) {
                    roots.add(method.returnType());
                }
            }
            if (type.name().packagePrefix().endsWith(".api") && type.isRecord()) {
                roots.add(ClassType.create(type.name()));
            }
        }
        Set<String> reachable = reachable(roots);
        assertThat(reachable).contains("com.vivesphere.mq.logconsumer.store.LogQueries$Page",
                "com.vivesphere.mq.logconsumer.api.Problem");
        assertThat(unregistered(reachable)).as("API types without @RegisterForReflection").isEmpty();
    }

    /** The application's records and enums reachable from the given types through type arguments and components. */
    private Set<String> reachable(Deque<Type> pending) {
        Set<String> reachable = new TreeSet<>();
        while (!pending.isEmpty()) {
            Type type = pending.pop();
            switch (type.kind()) {
                case PARAMETERIZED_TYPE -> pending.addAll(type.asParameterizedType().arguments());
                case ARRAY -> pending.add(type.asArrayType().constituent());
                case CLASS -> {
                    ClassInfo info = index.getClassByName(type.name());
                    if (info != null && (info.isRecord() || info.isEnum()) && reachable.add(info.name().toString())) {
                        for (RecordComponentInfo component : info.recordComponents()) {
                            pending.add(component.type());
                        }
                    }
                }
                default -> {
                }
            }
        }
        return reachable;
    }

    private Set<String> unregistered(Set<String> types) {
        Set<String> missing = new TreeSet<>();
        for (String name : types) {
            ClassInfo info = index.getClassByName(DotName.createSimple(name));
            if (!info.hasDeclaredAnnotation(REGISTER_FOR_REFLECTION)) {
                missing.add(name);
            }
        }
        return missing;
    }

    private static Index index(String... modules) {
        Indexer indexer = new Indexer();
        for (String module : modules) {
            Path classes = Repo.path(module + "/target/classes");
            assertThat(classes).as(classes + " (compile the modules first)").isDirectory();
            try (Stream<Path> files = Files.walk(classes)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                    try (InputStream in = Files.newInputStream(file)) {
                        indexer.index(in);
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return indexer.complete();
    }
}
