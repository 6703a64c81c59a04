package io.cvimport.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The options the job takes, as the deployment files can be checked offline: the command's own
 * ({@code --input}, {@code --status}, ...) and every property of the build's configuration
 * metadata (ours and Spring Boot's). A property of map type takes keys below its name
 * ({@code --customvision.endpoints.westus2=}). Environment variables are matched as Spring
 * Boot's relaxed binding matches them: without dots, dashes and underscores, in any case.
 */
final class KnownOptions {

    /** The command's own options, which no properties record declares. */
    static final Set<String> COMMAND = Set.of("input", "report", "status", "report-of", "repository", "plan", "stop");

    private static final Pattern OPTION = Pattern.compile("(?<![\\w-])--([a-z][a-z0-9.\\-]*)");
    /** Environment variables that set the job's properties (others are keys, or the JVM's). */
    private static final Pattern PROPERTY_VARIABLE = Pattern.compile(
            "(SPRING|SCALE|IMPORT|CUSTOMVISION|METRICS|MANAGEMENT|LOGGING)_[A-Z0-9_]+");

    private final Map<String, String> types = new HashMap<>();
    private final Map<String, String> canonical = new HashMap<>();

    KnownOptions() {
        JsonMapper json = JsonMapper.builder().build();
        try {
            for (URL url : Collections.list(getClass().getClassLoader()
                    .getResources("META-INF/spring-configuration-metadata.json"))) {
                try (InputStream in = url.openStream()) {
                    for (JsonNode property : json.readTree(in).path("properties")) {
                        String name = property.path("name").asString();
                        types.putIfAbsent(name, property.path("type").asString(""));
                        canonical.putIfAbsent(canonical(name), name);
                    }
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!types.containsKey("scale.role") || !types.containsKey("spring.datasource.url")) {
            throw new IllegalStateException("no configuration metadata of the build on the class path: compile first");
        }
    }

    /** {@code name} as in {@code --name=value}. */
    boolean option(String name) {
        if (COMMAND.contains(name) || types.containsKey(name)) {
            return true;
        }
        for (int dot = name.lastIndexOf('.'); dot > 0; dot = name.lastIndexOf('.', dot - 1)) {
            String type = types.get(name.substring(0, dot));
            if (type != null) {
                return type.startsWith("java.util.Map<");
            }
        }
        return false;
    }

    /** An environment variable's name: the property it sets, or null. */
    String property(String variable) {
        return canonical.get(canonical(variable));
    }

    /** Every {@code --option} of {@code text} the job does not know, added to {@code unknown}. */
    void checkOptions(String text, String where, List<String> unknown) {
        Matcher option = OPTION.matcher(text);
        while (option.find()) {
            if (!option(option.group(1))) {
                unknown.add(where + ": --" + option.group(1));
            }
        }
    }

    /** A variable named like a property's that sets none (a misspelt one is silently ignored). */
    void checkVariable(String name, String where, List<String> unknown) {
        if (PROPERTY_VARIABLE.matcher(name).matches() && property(name) == null) {
            unknown.add(where + ": " + name + " sets no property");
        }
    }

    private static String canonical(String name) {
        return name.replaceAll("[._\\-]", "").toLowerCase(Locale.ROOT);
    }
}
