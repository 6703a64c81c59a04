package io.cvimport;

import java.util.OptionalInt;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.context.ConfigurableApplicationContext;

import io.cvimport.cli.CommandLineCheck;
import io.cvimport.job.ExitCode;
import io.cvimport.repository.JdbcUrls;
import io.cvimport.repository.NoRepositoryDirectoryException;
import io.cvimport.repository.RepositoryOutage;
import io.cvimport.scale.BrokerSecrets;

/** customvision-import: copies Custom Vision projects into target resources in bulk. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class Application {

    public static void main(String[] args) {
        OptionalInt answered = answerBeforeStart(args);
        if (answered.isPresent()) {
            System.exit(answered.getAsInt());
        }
        RepositoryOutage.haltWhenStuck();
        System.exit(start(args));
    }

    /** Runs one command and returns its exit code (see {@link ExitCode}). */
    public static int run(String... args) {
        OptionalInt answered = answerBeforeStart(args);
        return answered.isPresent() ? answered.getAsInt() : start(args);
    }

    /**
     * A secret on the command line (refused first, whatever else is asked), usage errors,
     * --help and --version: answered before Spring, logging and the job repository start.
     */
    private static OptionalInt answerBeforeStart(String... args) {
        try {
            BrokerSecrets.refuseOnCommandLine(args);
        }
        catch (IllegalArgumentException secretInClear) {
            System.err.println("customvision-import: bad option: " + secretInClear.getMessage());
            return OptionalInt.of(ExitCode.USAGE.code());
        }
        return CommandLineCheck.answer(args, System.getenv(), System.out, System.err);
    }

    private static int start(String... args) {
        try {
            ConfigurableApplicationContext context = SpringApplication.run(Application.class, args);
            return SpringApplication.exit(context);
        }
        catch (RuntimeException e) {
            return startupFailure(e);
        }
    }

    /** A bad option is the caller's mistake (2); anything else is the job's failure (1). */
    private static int startupFailure(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof NoRepositoryDirectoryException noPlace) {
                System.err.println("customvision-import: " + noPlace.getMessage());
                return ExitCode.USAGE.code();
            }
            // A value given where the command line check does not look (environment, a file), named with its origin.
            String setting = cause instanceof BindException bind ? CommandLineCheck.describe(bind) : null;
            if (setting != null) {
                System.err.println("customvision-import: bad setting: " + setting);
                return ExitCode.USAGE.code();
            }
            if (cause instanceof BindException || cause instanceof IllegalArgumentException) {
                System.err.println("customvision-import: bad option: " + rootMessage(cause));
                return ExitCode.USAGE.code();
            }
        }
        // A driver's message may quote the repository's URL, credentials and all.
        System.err.println("customvision-import: failed to start: " + JdbcUrls.withoutPassword(rootMessage(e)));
        return ExitCode.JOB_FAILED.code();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
