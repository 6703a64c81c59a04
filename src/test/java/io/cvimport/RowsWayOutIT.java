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
 * Issue 9 cases 2, 7 (IN_DOUBT rows) and 8, issue 18 (a fixed key, --import.retry-rejected):
 * every row has a way out on the same command, and rows whose key or input cannot be
 * trusted on this run are left as they are.
 */
class RowsWayOutIT {

    static final String KEY = "44444444444444444444444444444444";
    static final String OTHER_KEY = "55555555555555555555555555555555";
    static final String WRONG_KEY = "66666666666666666666666666666666";
    static final String VARIABLE = "CV_KEY_WAY_OUT";

    @TempDir
    Path dir;

    CustomVisionEmulator emulator;

    @BeforeEach
    void start() throws Exception {
        emulator = new CustomVisionEmulator().key(KEY, OTHER_KEY).importDelay(Duration.ofMillis(200), Duration.ZERO);
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

    @Test
    void aWrongKeyInTheEnvironmentThenTheRightOneImportsOnTheSameCommand() throws Exception {
        Path input = input("wrong-key.csv", "env:" + VARIABLE, "refused-1", "refused-2");

        assertThat(run(args(input), Map.of(VARIABLE, WRONG_KEY))).isEqualTo(3);
        assertThat(JarProcess.lastOutput(dir)).contains("REJECTED          2");

        assertThat(run(args(input), Map.of(VARIABLE, KEY))).isEqualTo(0);
        assertThat(JarProcess.lastOutput(dir)).contains("SUCCEEDED         2").contains("key");
        assertThat(emulator.importsOf(KEY, token("refused-1"))).isEqualTo(1);
        assertThat(emulator.importsOf(KEY, token("refused-2"))).isEqualTo(1);

        assertThat(run(args(input), Map.of(VARIABLE, KEY))).isEqualTo(0);
        assertThat(JarProcess.lastOutput(dir)).contains("nothing to do");
        assertThat(emulator.imports()).isEqualTo(2);
    }

    @Test
    void retryRejectedSendsTheRowsRefusedWithThoseCodesAgain() throws Exception {
        String notYetActive = "77777777777777777777777777777777";
        Path input = input("retry.csv", notYetActive, "retry-1", "invalid-retry-2");

        assertThat(run(args(input), Map.of())).isEqualTo(3);
        assertThat(JarProcess.lastOutput(dir)).contains("REJECTED          2");
        emulator.key(notYetActive);

        assertThat(run(args(input), Map.of())).isEqualTo(3);
        assertThat(JarProcess.lastOutput(dir)).contains("nothing to do");
        assertThat(emulator.imports()).isZero();

        assertThat(run(args(input, "--import.retry-rejected=401"), Map.of())).isEqualTo(3);
        assertThat(JarProcess.lastOutput(dir)).contains("SUCCEEDED         1").contains("REJECTED          1")
                .contains("retry-rejected");
        assertThat(emulator.importsOf(notYetActive, token("retry-1"))).isEqualTo(1);
        assertThat(emulator.imports()).isEqualTo(1);
    }

    @Test
    void inDoubtRowsOfAFinishedJobAreResolvedByAdoptAndResendInDoubt() throws Exception {
        Path input = input("doubt.csv", KEY, "doubt-1", "doubt-2", "doubt-3");
        // Every answer is lost, and someone else makes a project on the resource beside each import:
        // two candidates for each lost answer, which only the operator can tell apart.
        emulator.loseAnswers(1.0).foreignProjectOnImport(true);
        assertThat(run(args(input), Map.of())).isEqualTo(3);
        assertThat(JarProcess.lastOutput(dir)).contains("IN_DOUBT          3");
        assertThat(emulator.imports()).isEqualTo(3);
        emulator.loseAnswers(0).foreignProjectOnImport(false);
        String project1 = emulator.projectIdsOf(KEY, token("doubt-1")).get(0);
        String project2 = emulator.projectIdsOf(KEY, token("doubt-2")).get(0);

        assertThat(run(args(input, "--import.adopt=1:" + project1), Map.of())).isEqualTo(3);
        assertThat(JarProcess.lastOutput(dir)).contains("SUCCEEDED         1").contains("IN_DOUBT          2")
                .contains(project1);

        // A project another row owns is not the operator's to give.
        assertThat(run(args(input, "--import.adopt=2:" + project1), Map.of())).isEqualTo(2);
        assertThat(JarProcess.lastOutput(dir)).contains(project1);

        assertThat(run(args(input, "--import.adopt=2:" + project2, "--import.resend-in-doubt=true"), Map.of()))
                .isEqualTo(0);
        assertThat(JarProcess.lastOutput(dir)).contains("SUCCEEDED         3");
        assertThat(emulator.importsOf(KEY, token("doubt-1"))).isEqualTo(1);
        assertThat(emulator.importsOf(KEY, token("doubt-2"))).isEqualTo(1);
        // Resent on purpose: the operator chose to.
        assertThat(emulator.importsOf(KEY, token("doubt-3"))).isEqualTo(2);
    }

    @Test
    void anInputThatChangedUnderTheJobStopsWithExit2NamingTheRowsAndSendsNothing() throws Exception {
        Path input = input("changed.csv", "env:" + VARIABLE, "changed-1", "changed-2");
        // The first run throttled past its attempts: the rows stay PENDING under the key's target.
        emulator.ratePerSecond(0);
        assertThat(run(args(input, "--import.max-attempts=1"), Map.of(VARIABLE, KEY))).isEqualTo(1);
        emulator.ratePerSecond(Integer.MAX_VALUE);

        assertThat(run(args(input), Map.of(VARIABLE, OTHER_KEY))).isEqualTo(2);
        assertThat(JarProcess.lastOutput(dir)).contains("rows 1, 2");
        assertThat(emulator.imports()).isZero();

        assertThat(run(args(input), Map.of(VARIABLE, KEY))).isEqualTo(0);
        assertThat(emulator.importsOf(KEY, token("changed-1"))).isEqualTo(1);
        assertThat(emulator.importsOf(KEY, token("changed-2"))).isEqualTo(1);
        assertThat(emulator.imports()).isEqualTo(2);
    }
}
