package io.cvimport.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

import io.cvimport.input.InputFile;
import io.cvimport.input.InputFormatException;
import io.cvimport.input.InputStructureException;

/**
 * The input a run or a plan works, checked before any job exists, and the parameters that
 * identify its job: its path and its content's hash (and where its report goes).
 */
record RunInput(InputFile file, String hash, JobParameters parameters) {

    private static final Logger log = LoggerFactory.getLogger(RunInput.class);

    /** The input of {@code --input}, or null when it cannot be worked (said on stderr). */
    static @Nullable RunInput check(Invocation invocation) {
        Path path = Objects.requireNonNull(invocation.input());
        InputFile input;
        String hash;
        try {
            input = InputFile.check(path);
            hash = input.contentHash();
        }
        catch (InputStructureException e) {
            // Before any job exists: a broken file leaves no execution to resume.
            System.err.println("customvision-import: input " + path + ", " + e.getMessage());
            return null;
        }
        catch (InputFormatException e) {
            Invocation.usage(e.getMessage());
            return null;
        }
        warnIfShared(input.path());
        String report = invocation.single("report");
        JobParameters parameters = new JobParametersBuilder()
                .addString(ImportJobConfiguration.INPUT_PATH, input.path().toString(), true)
                .addString(ImportJobConfiguration.INPUT_HASH, hash, true)
                .addString(ImportJobConfiguration.REPORT, report == null ? ""
                        : Path.of(report).toAbsolutePath().toString(), false)
                .toJobParameters();
        return new RunInput(input, hash, parameters);
    }

    private static void warnIfShared(Path input) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(input);
            if (permissions.contains(PosixFilePermission.GROUP_READ)
                    || permissions.contains(PosixFilePermission.OTHERS_READ)) {
                log.warn("{} is readable by group or others, and it holds training keys (chmod 600 it)", input);
            }
        }
        catch (IOException | UnsupportedOperationException e) {
            log.debug("cannot read the input's permissions: {}", e.toString());
        }
    }
}
