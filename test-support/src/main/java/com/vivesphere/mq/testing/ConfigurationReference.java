package com.vivesphere.mq.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.vivesphere.mq.testing.AppSettings.Setting;

/**
 * Checks the configuration reference, docs/configuration.md, against what an app reads: each of its settings is
 * a row (in the app's table or the one both apps share) with the default the code or properties give it, and
 * each row is a setting of the app or one of the Quarkus properties the reference documents on purpose.
 */
public final class ConfigurationReference {

    private static final Path DOCUMENT = ProjectRoot.PATH.resolve("docs/configuration.md");
    private static final String SHARED_TABLE = "## Both apps";

    /** Quarkus' and MicroProfile's own properties an operator sets; their defaults are theirs or vary by profile and app. */
    private static final Set<String> DOCUMENTED_QUARKUS_VARIABLES = Set.of("QUARKUS_HTTP_PORT", "QUARKUS_DATASOURCE_REACTIVE_URL",
            "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD", "QUARKUS_DATASOURCE_REACTIVE_MAX_SIZE",
            "MP_MESSAGING_INCOMING_<CHANNEL>_CONNECTOR", "MP_JWT_VERIFY_ISSUER", "QUARKUS_TLS_<NAME>_TRUST_STORE_PEM_CERTS",
            "QUARKUS_TLS_<NAME>_KEY_STORE_PEM_<PAIR>_CERT", "QUARKUS_TLS_<NAME>_KEY_STORE_PEM_<PAIR>_KEY",
            "QUARKUS_TLS_<NAME>_RELOAD_PERIOD", "QUARKUS_HTTP_TLS_CONFIGURATION_NAME", "QUARKUS_HTTP_SSL_PORT",
            "QUARKUS_HTTP_INSECURE_REQUESTS");
    /** A placeholder of a row that names a family of variables: {@code <NAME>} in {@code QUARKUS_TLS_<NAME>_RELOAD_PERIOD}. */
    private static final Pattern PLACEHOLDER = Pattern.compile("<[A-Z]+>");

    private ConfigurationReference() {
    }

    /**
     * The environment variables the reference documents for an app (its table and the shared one), which
     * {@link #problems} holds to be exactly what the app reads, the Quarkus ones it lists on purpose included.
     */
    public static Set<String> documentedVariables(String app) {
        Set<String> variables = new java.util.TreeSet<>();
        for (String table : List.of(SHARED_TABLE, "## " + app)) {
            for (Map<String, String> row : MarkdownTable.under(DOCUMENT, table).rows()) {
                variables.add(MarkdownTable.leadingCode(row.get("Variable")).orElse(row.get("Variable")));
            }
        }
        return variables;
    }

    /**
     * Whether the reference documents {@code variable} for an app: a row of its own, or a row naming the family it is
     * one of, whose placeholders stand for any name ({@code QUARKUS_TLS_RABBITMQ_RELOAD_PERIOD} is one of
     * {@code QUARKUS_TLS_<NAME>_RELOAD_PERIOD}).
     */
    public static boolean documents(String app, String variable) {
        return documentedVariables(app).stream()
                .anyMatch(row -> variable.matches("\\Q" + PLACEHOLDER.matcher(row).replaceAll("\\\\E[A-Z0-9_]+\\\\Q") + "\\E"));
    }

    /**
     * What is wrong with the reference for an app: its table is under {@code ## app}; {@code codeOf} are classes of
     * the app and of worker-runtime, whose code and properties files are read. Empty when the reference is right.
     */
    public static List<String> problems(String app, Class<?>... codeOf) {
        Map<String, String> documented = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (String table : List.of(SHARED_TABLE, "## " + app)) {
            for (Map<String, String> row : MarkdownTable.under(DOCUMENT, table).rows()) {
                String variable = MarkdownTable.leadingCode(row.get("Variable")).orElse(row.get("Variable"));
                if (documented.put(variable, row.get("Default")) != null) {
                    problems.add(variable + " is documented twice");
                }
            }
        }
        List<Setting> settings = AppSettings.of(codeOf);
        for (Setting setting : settings) {
            String defaultCell = documented.get(setting.env());
            if (defaultCell == null) {
                problems.add(setting.env() + " (" + setting.source() + ") is missing from " + DOCUMENT.getFileName());
            } else if (setting.expectedDefault() != null && !defaultMatches(setting.expectedDefault(), defaultCell)) {
                problems.add(setting.env() + " (" + setting.source() + ") defaults to '" + setting.expectedDefault()
                        + "', the reference says " + defaultCell);
            }
        }
        Set<String> read = settings.stream().map(Setting::env).collect(Collectors.toSet());
        for (String variable : documented.keySet()) {
            if (!read.contains(variable) && !DOCUMENTED_QUARKUS_VARIABLES.contains(variable)) {
                problems.add(variable + " is documented, but " + app + " reads no such setting");
            }
        }
        return problems;
    }

    /** A default is the code span the cell starts with ({@code `false` (`true` in dev and test)}); none, a cell starting otherwise. */
    private static boolean defaultMatches(String expected, String cell) {
        Optional<String> documented = MarkdownTable.leadingCode(cell);
        return expected.isEmpty() ? documented.isEmpty() : documented.equals(Optional.of(expected));
    }
}
