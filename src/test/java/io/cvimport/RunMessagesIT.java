package io.cvimport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cvimport.emulator.CustomVisionEmulator;

/** What a run tells the operator when the service refuses something: what was refused and what to do. */
class RunMessagesIT {

    static final String KEY = "31313131313131313131313131313131";
    static final String UNKNOWN_KEY = "99999999999999999999999999999999";

    @TempDir
    Path dir;

    CustomVisionEmulator emulator;

    @BeforeEach
    void start() throws Exception {
        emulator = new CustomVisionEmulator().key(KEY).importDelay(Duration.ofMillis(100), Duration.ZERO);
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void aRefusedKeyIsToldInWordsWithWhatToDo() throws Exception {
        Path input = Files.write(dir.resolve("keys.csv"), List.of("token,region,key",
                "\"https://x.blob.core.windows.net/e/a.zip?se=2099-01-01T00%3A00%3A00Z&sig=sa\",westus2," + KEY,
                "\"https://x.blob.core.windows.net/e/b.zip?se=2099-01-01T00%3A00%3A00Z&sig=sb\",westus2,"
                        + UNKNOWN_KEY));
        Files.setPosixFilePermissions(input, PosixFilePermissions.fromString("rw-------"));
        List<String> args = new java.util.ArrayList<>(List.of("--input=" + input,
                "--customvision.endpoint=" + emulator.endpoint(), "--import.poll-interval=200ms",
                "--import.max-poll-interval=500ms", "--import.max-attempts=2", "--import.timeout=20s"));
        args.addAll(JarProcess.PROMPT_SERVICE_TIMEOUTS);
        JarProcess run = JarProcess.start(dir, args);
        run.waitFor(180);
        String output = run.output();
        assertThat(output).doesNotContain("401 401").doesNotContain("failed: 401")
                .contains("the service refused the training key (HTTP 401): check the key of the rows of this resource");
        assertThat(output).doesNotContain(UNKNOWN_KEY).doesNotContain(KEY);
    }
}
