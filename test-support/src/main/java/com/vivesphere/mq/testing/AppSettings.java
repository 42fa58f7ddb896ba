package com.vivesphere.mq.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationTarget;
import org.jboss.jandex.AnnotationValue;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.Index;
import org.jboss.jandex.Indexer;
import org.jboss.jandex.MethodInfo;

/**
 * The settings an app reads, found in its compiled code and properties files (a class directory or jar each):
 * every leaf of its {@code @ConfigMapping} interfaces, every {@code @ConfigProperty}, every {@code ${ENV:default}}
 * of its {@code application.properties} and {@code META-INF/microprofile-config.properties}, and the
 * {@code VARIABLE} that each of its configuration source factories reads. Read from the
 * bytecode (Jandex), so a setting added anywhere in that code is found without being listed here.
 */
final class AppSettings {

    /** A setting as an operator sets it; {@code expectedDefault} empty for none, null when not comparable. */
    record Setting(String env, String expectedDefault, String source) {
    }

    private static final DotName CONFIG_MAPPING = DotName.createSimple("io.smallrye.config.ConfigMapping");
    private static final DotName WITH_DEFAULT = DotName.createSimple("io.smallrye.config.WithDefault");
    private static final DotName CONFIG_PROPERTY = DotName.createSimple("org.eclipse.microprofile.config.inject.ConfigProperty");
    private static final DotName CONFIG_SOURCE_FACTORY = DotName.createSimple("io.smallrye.config.ConfigSourceFactory");
    private static final String NO_DEFAULT = "org.eclipse.microprofile.config.configproperty.unconfigureddvalue";
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::([^}]*))?}");
    private static final List<String> PROPERTIES_FILES = List.of("application.properties", "META-INF/microprofile-config.properties");

    /** Read by the code, but set by the build (the application's name and version), not by an operator. */
    private static final List<String> BUILD_PROPERTIES = List.of("quarkus.application.name", "quarkus.application.version");

    private final Index index;
    private final Properties properties = new Properties();
    private final List<Setting> settings = new ArrayList<>();

    private AppSettings(List<Class<?>> codeOf) {
        Indexer indexer = new Indexer();
        for (Class<?> type : codeOf) {
            readLocation(type, indexer);
        }
        index = indexer.complete();
    }

    /**
     * The settings read by the code and properties files of the locations (directory or jar) of these classes, the
     * app's first: its application.properties wins over the runtime's microprofile-config.properties, as in Quarkus.
     */
    static List<Setting> of(Class<?>... codeOf) {
        AppSettings app = new AppSettings(List.of(codeOf));
        app.addEnvReferences();
        app.addConfigMappings();
        app.addConfigProperties();
        app.addConfigSourceFactories();
        return app.settings;
    }

    /** A factory's source is configured by the variable in its {@code VARIABLE} constant, with no default. */
    private void addConfigSourceFactories() {
        for (ClassInfo factory : index.getAllKnownImplementations(CONFIG_SOURCE_FACTORY)) {
            try {
                Object variable = Class.forName(factory.name().toString()).getField("VARIABLE").get(null);
                settings.add(new Setting((String) variable, "", factory.simpleName()));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(factory.name() + " names no VARIABLE it reads", e);
            }
        }
    }

    private void readLocation(Class<?> type, Indexer indexer) {
        try {
            Path location = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(location)) {
                readTree(location, indexer);
            } else {
                try (FileSystem jar = FileSystems.newFileSystem(location)) {
                    readTree(jar.getPath("/"), indexer);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private void readTree(Path root, Indexer indexer) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path classFile : files.filter(file -> file.toString().endsWith(".class")).toList()) {
                try (InputStream in = Files.newInputStream(classFile)) {
                    indexer.index(in);
                }
            }
        }
        for (String name : PROPERTIES_FILES) {
            Path file = root.resolve(name);
            if (Files.isRegularFile(file)) {
                Properties read = new Properties();
                try (InputStream in = Files.newInputStream(file)) {
                    read.load(in);
                }
                read.forEach(properties::putIfAbsent);
            }
        }
    }

    /** {@code ${ENV:default}} in any value; a profile's ({@code %dev.}) default is not the production one. */
    private void addEnvReferences() {
        for (String key : properties.stringPropertyNames()) {
            Matcher reference = ENV_REFERENCE.matcher(properties.getProperty(key));
            while (reference.find()) {
                String fallback = reference.group(2) == null ? "" : reference.group(2);
                settings.add(new Setting(reference.group(1), key.startsWith("%") ? null : fallback, key));
            }
        }
    }

    private void addConfigMappings() {
        for (AnnotationInstance mapping : index.getAnnotations(CONFIG_MAPPING)) {
            ClassInfo root = mapping.target().asClass();
            addLeaves(mapping.value("prefix").asString(), root, root.simpleName());
        }
    }

    private void addLeaves(String prefix, ClassInfo group, String source) {
        for (MethodInfo method : group.methods()) {
            if (!method.isAbstract() || Modifier.isStatic(method.flags()) || method.parametersCount() > 0) {
                continue;
            }
            String property = prefix + "." + kebabCase(method.name());
            String path = source + "." + method.name() + "()";
            ClassInfo type = index.getClassByName(method.returnType().name());
            if (type != null && type.isInterface()) {
                addLeaves(property, type, path);
            } else {
                AnnotationInstance withDefault = method.declaredAnnotation(WITH_DEFAULT);
                addProperty(property, withDefault == null ? "" : withDefault.value().asString(), path);
            }
        }
    }

    private void addConfigProperties() {
        for (AnnotationInstance property : index.getAnnotations(CONFIG_PROPERTY)) {
            AnnotationValue name = property.value("name");
            if (name == null) {
                throw new IllegalStateException("@ConfigProperty without a name on " + property.target()
                        + ": name it, so that its setting can be documented");
            }
            if (BUILD_PROPERTIES.contains(name.asString())) {
                continue;
            }
            AnnotationValue fallback = property.value("defaultValue");
            String defaultValue = fallback == null || fallback.asString().equals(NO_DEFAULT) ? "" : fallback.asString();
            addProperty(name.asString(), defaultValue, "@ConfigProperty in " + declaringClass(property.target()).simpleName());
        }
    }

    private static ClassInfo declaringClass(AnnotationTarget target) {
        return switch (target.kind()) {
            case METHOD_PARAMETER -> target.asMethodParameter().method().declaringClass();
            case METHOD -> target.asMethod().declaringClass();
            case FIELD -> target.asField().declaringClass();
            default -> throw new IllegalStateException("@ConfigProperty on " + target + ": not a field, method or parameter");
        };
    }

    /**
     * A property of the code. A properties file that maps it from a variable ({@code rabbitmq-host=${RABBITMQ_HOST:…}})
     * names the variable and gives the default ({@link #addEnvReferences}); a literal there is the default.
     */
    private void addProperty(String property, String codeDefault, String source) {
        String value = properties.getProperty(property);
        Matcher reference = value == null ? null : ENV_REFERENCE.matcher(value);
        if (reference != null && reference.matches()) {
            settings.add(new Setting(reference.group(1), null, property + " (" + source + ")"));
        } else if (value != null) {
            settings.add(new Setting(envName(property), value.contains("${") ? null : value, property + " (" + source + ")"));
        } else {
            settings.add(new Setting(envName(property), codeDefault, property + " (" + source + ")"));
        }
    }

    /** SmallRye's mapping of a method name: {@code maxWait} is {@code max-wait}. */
    static String kebabCase(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    /** The environment variable of a property: {@code log-consumer.batch.max-wait} is {@code LOG_CONSUMER_BATCH_MAX_WAIT}. */
    static String envName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase();
    }
}
