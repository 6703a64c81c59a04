package io.cvimport.job;

import java.io.PrintStream;
import java.util.List;
import java.util.Objects;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.stereotype.Component;

import io.cvimport.logging.AnswerOnStdout;

/**
 * The command line: {@code --input=FILE [options]}. Chooses the command the options name
 * ({@code --stop}, {@code --status}, {@code --report-of}, {@code --plan}, or the run of the
 * input), runs it on this thread and keeps its exit code for the process.
 */
@Component
// A worker (--scale.role=worker) runs no command: it runs the partitions it receives.
@ConditionalOnExpression("${import.command:true} and '${scale.role:single}' != 'worker'")
class ImportCommand implements ApplicationRunner, ExitCodeGenerator {

    /** The commands that answer from the job repository alone: no input needed, nothing run. */
    @Component
    record Answers(StopRequest stop, StatusCommand status, ReportOfCommand reportOf) {
    }

    private final Answers answers;
    private final PlanOfInput plan;
    private final RunCommand run;
    private final PrintStream out = AnswerOnStdout.answer();
    private int exitCode = ExitCode.JOB_FAILED.code();

    ImportCommand(Answers answers, PlanOfInput plan, RunCommand run) {
        this.answers = answers;
        this.plan = plan;
        this.run = run;
    }

    @Override
    public int getExitCode() {
        return exitCode;
    }

    @Override
    public void run(ApplicationArguments args) throws Exception {
        exitCode = execute(new Invocation(args, out)).code();
    }

    /** The command the options name, its answers on the invocation's stream. */
    ExitCode execute(Invocation invocation) throws Exception {
        // Unknown options and bad values never get here: io.cvimport.cli refused them before Spring started.
        String format = Objects.requireNonNullElse(invocation.single("format"), "text");
        if (!List.of("text", "json").contains(format)) {
            return Invocation.usage("--format=" + format + ": takes text or json");
        }
        if (invocation.has("stop")) {
            // Asks through the job repository: the running job holds the lock, and nothing runs here.
            return answers.stop().request(invocation.out(), invocation.input());
        }
        if (invocation.has("status")) {
            return answers.status().list(invocation.out(), invocation.input(), invocation.json());
        }
        if (invocation.has("report-of")) {
            return answers.reportOf().run(invocation);
        }
        if (invocation.input() == null) {
            return Invocation.usage("--input=FILE is required");
        }
        RunInput input = RunInput.check(invocation);
        if (input == null) {
            return ExitCode.USAGE;
        }
        return invocation.has("plan") ? plan.run(invocation, input) : run.run(input, invocation.out());
    }
}
