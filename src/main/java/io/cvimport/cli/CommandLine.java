package io.cvimport.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The arguments as Spring reads them ({@code SimpleCommandLineArgsParser}): {@code --name=value}
 * and {@code --name} are options, repeatable; anything else is a non-option argument.
 */
record CommandLine(Map<String, List<String>> options, List<String> others) {

    static CommandLine parse(String... args) {
        Map<String, List<String>> options = new LinkedHashMap<>();
        List<String> others = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith("--") && arg.length() > 2 && arg.charAt(2) != '=') {
                int equals = arg.indexOf('=');
                String name = equals < 0 ? arg.substring(2) : arg.substring(2, equals);
                List<String> values = options.computeIfAbsent(name, n -> new ArrayList<>());
                if (equals >= 0) {
                    values.add(arg.substring(equals + 1));
                }
            }
            else {
                others.add(arg);
            }
        }
        return new CommandLine(options, others);
    }

    boolean has(String name) {
        return options.containsKey(name);
    }

    /** The last value given, as Spring's command line property source would read a single one. */
    @Nullable String last(String name) {
        List<String> values = options.get(name);
        return values == null || values.isEmpty() ? null : values.get(values.size() - 1);
    }

    /** As typed: {@code --name=value}, or {@code --name}. */
    String typed(String name) {
        String value = last(name);
        return "--" + name + (value == null ? "" : "=" + value);
    }
}
