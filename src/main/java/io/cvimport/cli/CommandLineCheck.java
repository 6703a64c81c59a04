package io.cvimport.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.origin.Origin;
import org.springframework.core.convert.ConversionException;

/**
 * Answers what the command line alone can answer, before Spring and the job repository start:
 * {@code --help}, {@code --version}, and every usage error (exit 2) — an option the job does
 * not know, a value it cannot take, a missing input. Anything else is left to the job.
 */
public final class CommandLineCheck {

    static final int OK = 0;
    static final int USAGE = 2;
    private static final String NAME = "customvision-import";
    /** The commands that read the repository only: they need no input file. */
    private static final List<String> WITHOUT_INPUT = List.of("status", "stop", "report-of");

    private CommandLineCheck() {
    }

    /** The exit code when the command line is answered here (printed to {@code out} or {@code err}); else empty. */
    public static OptionalInt answer(String[] args, Map<String, String> environment, PrintStream out,
            PrintStream err) {
        CommandLine line = CommandLine.parse(args);
        if (line.has("version")) {
            out.println(version());
            return OptionalInt.of(OK);
        }
        KnownOptions known = KnownOptions.load();
        if (line.has("help") || line.others().contains("-h")) {
            Usage.print(out, known);
            return OptionalInt.of(OK);
        }
        Optional<String> problem = problem(line, known, environment);
        if (problem.isPresent()) {
            err.println(NAME + ": " + problem.get());
            err.println("(java -jar customvision-import.jar --help lists every option)");
            return OptionalInt.of(USAGE);
        }
        return OptionalInt.empty();
    }

    static Optional<String> problem(CommandLine line, KnownOptions known, Map<String, String> environment) {
        if (!line.others().isEmpty()) {
            return Optional.of("unexpected argument " + line.others().get(0) + " (options take the form --name=value)");
        }
        for (String name : line.options().keySet()) {
            if (!KnownOptions.isBoots(name) && known.find(name).isEmpty()) {
                String nearest = known.nearest(name);
                return Optional.of("--" + name + ": unknown option" + (nearest == null ? ""
                        : "; did you mean --" + nearest + "?"));
            }
        }
        Optional<String> badValue = new OptionValues(known, line).problem();
        if (badValue.isPresent()) {
            return badValue;
        }
        return inputProblem(line, environment);
    }

    /** A run and a plan need an input that exists; a worker and the repository's commands need none. */
    private static Optional<String> inputProblem(CommandLine line, Map<String, String> environment) {
        String role = line.has("scale.role") ? line.last("scale.role") : environment.get("SCALE_ROLE");
        if (WITHOUT_INPUT.stream().anyMatch(line::has)
                || role != null && role.toLowerCase(Locale.ROOT).equals("worker")) {
            return Optional.empty();
        }
        String input = line.last("input");
        if (input == null || input.isBlank()) {
            return Optional.of("--input=FILE is required");
        }
        Path path = Path.of(input).toAbsolutePath().normalize();
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            // The words of InputFile's own check, which runs later on the file's content.
            return Optional.of("input " + path + " is missing or unreadable");
        }
        return Optional.empty();
    }

    /**
     * A value Spring could not bind (given where this check does not look: an environment variable,
     * a configuration file), in the words of this check: its name, its value, where it came from,
     * the form it takes; null when the failure is not about one value's form.
     */
    public static @Nullable String describe(BindException e) {
        ConfigurationProperty property = e.getProperty();
        if (property == null || !(e.getCause() instanceof ConversionException)) {
            return null;
        }
        Origin origin = property.getOrigin();
        return property.getName() + "=" + property.getValue() + (origin == null ? "" : " (" + origin + ")") + ": "
                + OptionValues.expected(e.getTarget().getType().resolve(Object.class).getName());
    }

    /** From the jar's manifest (Implementation-Version, written by the build). */
    static String version() {
        @Nullable String own = CommandLineCheck.class.getPackage().getImplementationVersion();
        return NAME + " " + (own == null ? "(version unknown: not run from its jar)" : own)
                + System.lineSeparator() + "Spring Boot " + SpringBootVersion.getVersion() + ", Java "
                + Runtime.version();
    }
}
