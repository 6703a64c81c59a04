package io.cvimport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The sample as a newcomer first runs it ({@code ./mvnw spring-boot:test-run}), from a fresh clone. */
@ExtendWith(OutputCaptureExtension.class)
class SampleRunTest {

    static final Path SAMPLE = Path.of("sample-input/projects.csv");

    @TempDir
    Path dir;

    @Test
    void theSampleRunsWithoutAWarningAboutItsOwnPermissions(CapturedOutput output) throws Exception {
        // Git checks files out readable by all: the sample's permissions as a clone has them.
        Files.setPosixFilePermissions(SAMPLE, PosixFilePermissions.fromString("rw-r--r--"));
        int code = SampleRun.run("--repository=" + dir.resolve("repository"), "--report=" + dir.resolve("report.csv"),
                "--import.poll-interval=200ms");
        assertThat(output).contains("customvision-import: execution").doesNotContain("readable by group or others");
        assertThat(code).as(output.toString()).isEqualTo(3);
    }
}
