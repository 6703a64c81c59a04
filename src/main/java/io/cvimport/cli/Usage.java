package io.cvimport.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code --help}: the commands, then every option of the job by group, with its default and description. */
final class Usage {

    static final List<String> SYNOPSIS = List.of(
            "usage: java -jar customvision-import.jar --input=FILE [--report=FILE] [options]",
            "       java -jar customvision-import.jar --plan --input=FILE [--report=FILE] [options]",
            "       java -jar customvision-import.jar --status [--input=FILE]",
            "       java -jar customvision-import.jar --stop [--input=FILE]",
            "       java -jar customvision-import.jar --report-of=ID [--report=FILE]",
            "       java -jar customvision-import.jar --scale.role=worker --spring.artemis.broker-url=tcp://HOST:PORT"
                    + " [options]",
            "       java -jar customvision-import.jar --help | --version");
    private static final int WIDTH = 100;
    private static final String INDENT = "      ";

    private Usage() {
    }

    static void synopsis(PrintStream out) {
        SYNOPSIS.forEach(out::println);
        out.println("(--help lists every option)");
    }

    static void print(PrintStream out, KnownOptions known) {
        SYNOPSIS.forEach(out::println);
        Map<String, List<KnownOption>> byGroup = new LinkedHashMap<>();
        byGroup.put("the command", new ArrayList<>());
        for (KnownOption option : known.all()) {
            String group = option.group() == null ? "the command" : option.name().substring(0,
                    option.name().indexOf('.') + 1) + "*";
            byGroup.computeIfAbsent(group, g -> new ArrayList<>()).add(option);
        }
        byGroup.forEach((group, options) -> {
            out.println();
            out.println("Options of " + group + ":");
            options.forEach(option -> describe(out, option));
        });
        out.println();
        out.println("Spring Boot's own options (--spring.*, --logging.*, --management.*, --debug) are passed to it as"
                + " they are,");
        out.println("e.g. --spring.datasource.url=jdbc:postgresql://HOST/DB for a PostgreSQL job repository.");
        out.println("Every setting can also be an environment variable: IMPORT_TIMEOUT=5m,"
                + " CVIMPORT_REPOSITORY=DIR.");
        out.println();
        out.println("Exit codes: 0 every row imported (or already, or a duplicate); 1 the job failed,"
                + " re-run to resume;");
        out.println("2 unusable invocation (this one's options or input); 3 finished, some rows need attention;");
        out.println("4 another run of the same input is in progress.");
    }

    private static void describe(PrintStream out, KnownOption option) {
        out.println("  " + option.synopsis()
                + (option.defaultValue() == null ? "" : "  (default " + option.defaultValue() + ")"));
        for (String line : wrap(option.description(), WIDTH - INDENT.length())) {
            out.println(INDENT + line);
        }
    }

    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.trim().split("\\s+")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.length() == 0 ? "" : " ").append(word);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }
}
