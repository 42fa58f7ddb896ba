package com.vivesphere.mq.runtime.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigSource;

import com.vivesphere.mq.common.broker.SecretFile;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.EnvConfigSource;

/**
 * {@code VIVESPHERE_SECRETS_DIR}: a directory of secrets mounted one file per setting (a Kubernetes Secret volume,
 * Docker secrets) is a configuration source. Each file is named like the setting's environment variable
 * ({@code RABBITMQ_PASSWORD}, {@code QUARKUS_DATASOURCE_PASSWORD}) and holds its value; one trailing line break
 * is not part of it. The files are read as environment variables are (an {@link EnvConfigSource}, so the same
 * names match the same settings), ranked just below the environment itself: a variable of the same name wins.
 */
public class SecretsDirectoryConfigSourceFactory implements ConfigSourceFactory {

    public static final String VARIABLE = "VIVESPHERE_SECRETS_DIR";
    static final int ORDINAL = EnvConfigSource.ORDINAL - 5;
    private static final String SOURCE_NAME = "secrets directory ";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue value = context.getValue(VARIABLE);
        if (value == null || value.getValue() == null || value.getValue().isBlank()) {
            return List.of();
        }
        Path directory = Path.of(value.getValue());
        if (!Files.isDirectory(directory)) {
            throw new IllegalStateException(VARIABLE + " names " + directory + ", which is not a directory");
        }
        Map<String, String> secrets = read(directory);
        return List.of(new EnvConfigSource(secrets, ORDINAL) {
            @Override
            public String getName() {
                return SOURCE_NAME + directory;
            }
        });
    }

    /** The file that {@code variable}'s value came from, if it came from the secrets directory. */
    public static Optional<Path> fileOf(Config config, String variable) {
        org.eclipse.microprofile.config.ConfigValue value = config.getConfigValue(variable);
        if (value.getSourceName() == null || !value.getSourceName().startsWith(SOURCE_NAME)) {
            return Optional.empty();
        }
        return Optional.of(Path.of(value.getSourceName().substring(SOURCE_NAME.length())).resolve(variable));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    /** Regular files (or links to them) whose names do not start with a dot: Kubernetes keeps its own there. */
    static Map<String, String> read(Path directory) {
        Map<String, String> secrets = new TreeMap<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (!name.startsWith(".") && Files.isRegularFile(file)) {
                    secrets.put(name, SecretFile.read(file));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the secrets in " + directory, e);
        }
        return secrets;
    }
}
