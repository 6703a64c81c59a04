package io.cvimport.job;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.ConfigurableEnvironment;

import io.cvimport.imports.ImportProperties;
import io.cvimport.plan.PlanProperties;
import io.cvimport.reopen.ReopenProperties;

/**
 * The job tests of the command line's commands: each is {@link ImportCommand}'s with the
 * arguments of its command line, in this JVM (a run: run lock, last run, job, end), in the
 * job tests' context: its option records answer each command as bound with that command's
 * {@code --import.*} options ({@link RunOptions}).
 */
@ExtendWith(OutputCaptureExtension.class)
abstract class CommandFixture extends JobFixture {

    @Autowired
    ImportCommand.Answers answers;

    @Autowired
    PlanOfInput plan;

    @Autowired
    RunCommand run;

    @Autowired
    ConfigurableEnvironment environment;

    /** What the last command told: its answer on stdout, then what the process wrote to the console meanwhile. */
    String output;

    /** The run of {@code --input=FILE --report=FILE} with these options: its exit code. */
    int run(CapturedOutput console, Path input, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("--input=" + input, "--report=" + report(input)));
        args.addAll(List.of(options));
        return command(console, args.toArray(String[]::new));
    }

    /**
     * The command line's command ({@link ImportCommand}) with these arguments, as the process
     * would run it once its options are bound: its exit code.
     */
    int command(CapturedOutput console, String... args) throws Exception {
        var binder = RunOptions.binder(environment,
                Arrays.stream(args).filter(arg -> arg.startsWith("--import.")).toArray(String[]::new));
        RunOptions.answerAs(importOptions, binder.bindOrCreate("import", ImportProperties.class));
        RunOptions.answerAs(reopenOptions, binder.bindOrCreate("import", ReopenProperties.class));
        RunOptions.answerAs(planOptions, binder.bindOrCreate("import", PlanProperties.class));
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        int consoleBefore = console.length();
        try (PrintStream out = new PrintStream(answer, true, StandardCharsets.UTF_8)) {
            int code = new ImportCommand(answers, plan, run)
                    .execute(new Invocation(new DefaultApplicationArguments(args), out)).code();
            output = answer.toString(StandardCharsets.UTF_8) + console.toString().substring(consoleBefore);
            return code;
        }
    }
}
