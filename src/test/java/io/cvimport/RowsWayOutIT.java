package io.cvimport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cvimport.emulator.CustomVisionEmulator;

/**
 * Issue 9 case 8: a run killed with an import in flight, resumed without the key variables,
 * leaves its rows as they are, and the run with them finishes each row once. The other ways
 * out on the same command (a fixed key, --import.retry-rejected, --import.adopt,
 * --import.resend-in-doubt, a changed input) are job tests: RowsWayOutJobTest.
 */
class RowsWayOutIT {

    static final String KEY = "44444444444444444444444444444444";
    static final String VARIABLE = "CV_KEY_WAY_OUT";

    @TempDir
    Path dir;

    CustomVisionEmulator emulator;

    @BeforeEach
    void start() throws Exception {
        emulator = new CustomVisionEmulator().key(KEY).importDelay(Duration.ofMillis(200), Duration.ZERO);
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    static String token(String name) {
        return "https://cvexports.blob.core.windows.net/exports/way-out/" + name
                + ".zip?sv=2021-08-06&se=2099-01-01T00%3A00%3A00Z&sr=b&sp=r&sig=W4y" + name.hashCode() + "%2B%3D";
    }

    private Path input(String name, String key, String... tokens) throws Exception {
        Path file = dir.resolve(name);
        List<String> lines = new ArrayList<>(List.of("token,region,key"));
        for (String token : tokens) {
            lines.add("\"" + token(token) + "\",westus2," + key);
        }
        Files.write(file, lines);
        return file;
    }

    private List<String> args(String endpoint, Path input, String... more) {
        List<String> args = new ArrayList<>(List.of("--input=" + input, "--customvision.endpoint=" + endpoint,
                "--import.poll-interval=200ms", "--import.max-poll-interval=500ms", "--import.in-doubt-grace=500ms",
                "--import.lock-ttl=3s",
                "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("db/repository") + ";AUTO_SERVER=TRUE"));
        args.addAll(JarProcess.PROMPT_SERVICE_TIMEOUTS);
        args.addAll(List.of(more));
        return args;
    }

    private List<String> args(Path input, String... more) {
        return args(emulator.endpoint().toString(), input, more);
    }

    private int run(List<String> args, Map<String, String> environment) throws Exception {
        return JarProcess.start(dir, args, environment).waitFor(180);
    }

    private static void awaitCondition(String what, java.util.function.BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aResumeWithoutTheKeyVariablesLeavesRowsUntouchedAndTheRunWithThemFinishesEachRowOnce() throws Exception {
        Path input = input("env-keys.csv", "env:" + VARIABLE, "lost-env-1", "lost-env-2", "lost-env-3", "lost-env-4");
        // Each call waits 3 s before the service acts: the first import is in flight when the run is killed.
        emulator.latency(Duration.ofSeconds(3));
        JarProcess first = JarProcess.start(dir, args(input, "--import.rate-per-target=1"), Map.of(VARIABLE, KEY));
        awaitCondition("the first import to be sent",
                () -> emulator.requestLog().stream().anyMatch(line -> line.startsWith("POST")));
        first.kill9();
        awaitCondition("the in-flight import to be performed", () -> emulator.imports() >= 1);
        emulator.latency(Duration.ZERO);
        long importsBefore = emulator.imports();

        assertThat(run(args(input), Map.of())).isEqualTo(1);
        String withoutKeys = JarProcess.lastOutput(dir);
        assertThat(withoutKeys).contains("environment variable " + VARIABLE + " is not set")
                .doesNotContain("INVALID").doesNotContain("TIMED_OUT").doesNotContain("null");
        assertThat(emulator.imports()).isEqualTo(importsBefore);

        assertThat(run(args(input), Map.of(VARIABLE, KEY))).isEqualTo(0);
        String withKeys = JarProcess.lastOutput(dir);
        assertThat(withKeys).contains("SUCCEEDED         4").doesNotContain("null");
        for (int i = 1; i <= 4; i++) {
            assertThat(emulator.importsOf(KEY, token("lost-env-" + i))).as("imports of row " + i).isEqualTo(1);
        }
    }
}
