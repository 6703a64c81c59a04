package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.system.CapturedOutput;

/**
 * Issue 9 cases 2 and 8, issue 18 (a fixed key, --import.retry-rejected, --import.adopt,
 * --import.resend-in-doubt): every row has a way out on the same command, and rows whose key
 * or input cannot be trusted on this run are left as they are. The case whose run is killed
 * is RowsWayOutIT's.
 */
class RowsWayOutJobTest extends CommandFixture {

    static final String KEY = key(RowsWayOutJobTest.class, "key");
    static final String OTHER_KEY = key(RowsWayOutJobTest.class, "other");
    static final String WRONG_KEY = key(RowsWayOutJobTest.class, "wrong");
    static final String VARIABLE = "CV_KEY_WAY_OUT";

    @BeforeEach
    void keys() {
        emulator.key(KEY, OTHER_KEY).importDelay(Duration.ofMillis(200), Duration.ZERO);
    }

    private Path input(String name, String key, String... tokens) throws Exception {
        List<String> rows = new ArrayList<>();
        for (String token : tokens) {
            rows.add("\"" + token(token) + "\",westus2," + key);
        }
        return input(name, "token,region,key", rows);
    }

    @Test
    void aWrongKeyInTheEnvironmentThenTheRightOneImportsOnTheSameCommand(CapturedOutput console) throws Exception {
        Path input = input("wrong-key", "env:" + VARIABLE, "refused-1", "refused-2");

        variables.put(VARIABLE, WRONG_KEY);
        assertThat(run(console, input)).isEqualTo(3);
        assertThat(output).contains("REJECTED          2");

        variables.put(VARIABLE, KEY);
        assertThat(run(console, input)).isEqualTo(0);
        assertThat(output).contains("SUCCEEDED         2").contains("key");
        assertThat(emulator.importsOf(KEY, token("refused-1"))).isEqualTo(1);
        assertThat(emulator.importsOf(KEY, token("refused-2"))).isEqualTo(1);

        assertThat(run(console, input)).isEqualTo(0);
        assertThat(output).contains("nothing to do");
        assertThat(emulator.imports()).isEqualTo(2);
    }

    @Test
    void retryRejectedSendsTheRowsRefusedWithThoseCodesAgain(CapturedOutput console) throws Exception {
        String notYetActive = key(RowsWayOutJobTest.class, "not-yet-active");
        Path input = input("retry", notYetActive, "retry-1", "invalid-retry-2");

        assertThat(run(console, input)).isEqualTo(3);
        assertThat(output).contains("REJECTED          2");
        emulator.key(notYetActive);

        assertThat(run(console, input)).isEqualTo(3);
        assertThat(output).contains("nothing to do");
        assertThat(emulator.imports()).isZero();

        assertThat(run(console, input, "--import.retry-rejected=401")).isEqualTo(3);
        assertThat(output).contains("SUCCEEDED         1").contains("REJECTED          1").contains("retry-rejected");
        assertThat(emulator.importsOf(notYetActive, token("retry-1"))).isEqualTo(1);
        assertThat(emulator.imports()).isEqualTo(1);
    }

    @Test
    void inDoubtRowsOfAFinishedJobAreResolvedByAdoptAndResendInDoubt(CapturedOutput console) throws Exception {
        Path input = input("doubt", KEY, "doubt-1", "doubt-2", "doubt-3");
        // Every answer is lost, and someone else makes a project on the resource beside each import:
        // two candidates for each lost answer, which only the operator can tell apart.
        emulator.loseAnswers(1.0).foreignProjectOnImport(true);
        assertThat(run(console, input)).isEqualTo(3);
        assertThat(output).contains("IN_DOUBT          3");
        assertThat(emulator.imports()).isEqualTo(3);
        emulator.loseAnswers(0).foreignProjectOnImport(false);
        String project1 = emulator.projectIdsOf(KEY, token("doubt-1")).get(0);
        String project2 = emulator.projectIdsOf(KEY, token("doubt-2")).get(0);

        assertThat(run(console, input, "--import.adopt=1:" + project1)).isEqualTo(3);
        assertThat(output).contains("SUCCEEDED         1").contains("IN_DOUBT          2").contains(project1);

        // A project another row owns is not the operator's to give.
        assertThat(run(console, input, "--import.adopt=2:" + project1)).isEqualTo(2);
        assertThat(output).contains(project1);

        assertThat(run(console, input, "--import.adopt=2:" + project2, "--import.resend-in-doubt=true")).isEqualTo(0);
        assertThat(output).contains("SUCCEEDED         3");
        assertThat(emulator.importsOf(KEY, token("doubt-1"))).isEqualTo(1);
        assertThat(emulator.importsOf(KEY, token("doubt-2"))).isEqualTo(1);
        // Resent on purpose: the operator chose to.
        assertThat(emulator.importsOf(KEY, token("doubt-3"))).isEqualTo(2);
    }

    @Test
    void anInputThatChangedUnderTheJobStopsWithExit2NamingTheRowsAndSendsNothing(CapturedOutput console)
            throws Exception {
        Path input = input("changed", "env:" + VARIABLE, "changed-1", "changed-2");
        // The first run throttled past its attempts: the rows stay PENDING under the key's target.
        emulator.ratePerSecond(0);
        variables.put(VARIABLE, KEY);
        assertThat(run(console, input, "--import.max-attempts=1")).isEqualTo(1);
        emulator.ratePerSecond(Integer.MAX_VALUE);

        variables.put(VARIABLE, OTHER_KEY);
        assertThat(run(console, input)).isEqualTo(2);
        assertThat(output).contains("rows 1, 2");
        assertThat(emulator.imports()).isZero();

        variables.put(VARIABLE, KEY);
        assertThat(run(console, input)).isEqualTo(0);
        assertThat(emulator.importsOf(KEY, token("changed-1"))).isEqualTo(1);
        assertThat(emulator.importsOf(KEY, token("changed-2"))).isEqualTo(1);
        assertThat(emulator.imports()).isEqualTo(2);
    }
}
