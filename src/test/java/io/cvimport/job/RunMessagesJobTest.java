package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.system.CapturedOutput;

/** What a run tells the operator when the service refuses something: what was refused and what to do. */
class RunMessagesJobTest extends CommandFixture {

    static final String KEY = key(RunMessagesJobTest.class, "key");
    static final String UNKNOWN_KEY = key(RunMessagesJobTest.class, "unknown");

    @Test
    void aRefusedKeyIsToldInWordsWithWhatToDo(CapturedOutput console) throws Exception {
        emulator.key(KEY).importDelay(Duration.ofMillis(100), Duration.ZERO);
        Path input = input("keys", "token,region,key",
                List.of("\"" + token("a") + "\",westus2," + KEY, "\"" + token("b") + "\",westus2," + UNKNOWN_KEY));
        Files.setPosixFilePermissions(input, PosixFilePermissions.fromString("rw-------"));

        assertThat(run(console, input, "--import.max-attempts=2", "--import.timeout=20s")).isEqualTo(3);

        assertThat(output).doesNotContain("401 401").doesNotContain("failed: 401")
                .contains("the service refused the training key (HTTP 401): check the key of the rows of this resource");
        assertThat(output).doesNotContain(UNKNOWN_KEY).doesNotContain(KEY);
    }
}
