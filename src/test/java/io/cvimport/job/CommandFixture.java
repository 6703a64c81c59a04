package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

import io.cvimport.imports.ImportProperties;
import io.cvimport.reopen.ReopenProperties;

/**
 * The job tests of the command's runs: each run is {@link RunCommand}'s (run lock, last
 * run, job, end) on an input, with the options of its command line, in this JVM. The
 * classes that extend this one share one context of their own: its option records answer
 * each run as bound with that run's options ({@link RunOptions}).
 */
@ExtendWith(OutputCaptureExtension.class)
// A region whose endpoint nothing listens on: its calls fail as a network that refuses them.
@TestPropertySource(properties = "customvision.endpoints." + CommandFixture.UNREACHABLE_REGION + "=http://127.0.0.1:9")
abstract class CommandFixture extends JobFixture {

    static final String UNREACHABLE_REGION = "centralindia";

    @MockitoSpyBean
    ImportProperties importOptions;

    @MockitoSpyBean
    ReopenProperties reopenOptions;

    @Autowired
    RunCommand command;

    @Autowired
    ConfigurableEnvironment environment;

    /** What the last run told: its answer on stdout, then what the process wrote to the console meanwhile. */
    String output;

    /** The command {@code --input=FILE --report=FILE} with these options: its exit code. */
    int run(CapturedOutput console, Path input, String... options) throws Exception {
        var binder = RunOptions.binder(environment, options);
        RunOptions.answerAs(importOptions, binder.bindOrCreate("import", ImportProperties.class));
        RunOptions.answerAs(reopenOptions, binder.bindOrCreate("import", ReopenProperties.class));
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        int consoleBefore = console.length();
        try (PrintStream out = new PrintStream(answer, true, StandardCharsets.UTF_8)) {
            Invocation invocation = new Invocation(
                    new DefaultApplicationArguments("--input=" + input, "--report=" + report(input)), out);
            RunInput checked = RunInput.check(invocation);
            assertThat(checked).as("the input is usable").isNotNull();
            int code = command.run(checked, out).code();
            output = answer.toString(StandardCharsets.UTF_8) + console.toString().substring(consoleBefore);
            return code;
        }
    }
}
