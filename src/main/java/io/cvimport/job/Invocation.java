package io.cvimport.job;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.ApplicationArguments;

/**
 * One invocation of the command line: its options as the commands read them (each option's
 * last value wins), and where their answers go ({@code --status}, {@code --plan} and
 * {@code --report-of} print theirs there alone).
 */
record Invocation(ApplicationArguments args, PrintStream out) {

    boolean has(String option) {
        return args.containsOption(option);
    }

    @Nullable String single(String option) {
        List<String> values = args.getOptionValues(option);
        return values == null || values.isEmpty() ? null : values.get(values.size() - 1);
    }

    /** {@code --input}, absolute and normalized, as the job's parameters and the repository name it. */
    @Nullable Path input() {
        String input = single("input");
        return input == null ? null : Path.of(input).toAbsolutePath().normalize();
    }

    /** {@code --format=json}: the answer is one JSON document. */
    boolean json() {
        return "json".equals(single("format"));
    }

    /** A command line that cannot run: the problem and the usage, on stderr. */
    static ExitCode usage(String problem) {
        System.err.println("customvision-import: " + problem);
        System.err.println("usage: java -jar customvision-import.jar --input=FILE [--report=FILE] [options]");
        System.err.println("       java -jar customvision-import.jar --plan --input=FILE [--report=FILE] [options]");
        System.err.println("       java -jar customvision-import.jar --status [--input=FILE]");
        System.err.println("       java -jar customvision-import.jar --stop [--input=FILE]");
        System.err.println("       java -jar customvision-import.jar --report-of=EXECUTION_ID [--report=FILE]");
        return ExitCode.USAGE;
    }
}
