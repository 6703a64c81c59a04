package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.test.context.TestPropertySource;

import io.cvimport.ledger.RowStatus;

/**
 * Source rows' imports leave on their target's rate budget, whatever their exports waited
 * for their sources': the service, holding each target to the job's own pace, throttles none
 * (or one or two calls that a loaded machine bunched). Tagged {@code paced}: the fast lane runs
 * it alone, after the other tests. Its rows are not verified ({@code import.verify=false}): the
 * verifying reads would multiply the targets' calls, and the budget of imports is what it is about.
 */
@TestPropertySource(properties = {
        "import.rates.uksouth=10",
        "import.rates.australiaeast=10",
        "import.timeout=5s",
        "import.progress-every=10s",
        "import.verify=false" })
class SourceBudgetJobTest extends JobFixture {

    @Test
    @Tag("paced")
    void importsLeaveOnTheirTargetsBudgetWhateverTheirExportsWaited() throws Exception {
        // Four sources and two targets (australiaeast), each paced at 10 calls a second by the job
        // and held to 10 by the service; both targets read the sources in the same turn.
        String[] sources = { "5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c51", "5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c52",
                "5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c53", "5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c54" };
        String[] targets = { "7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d71", "7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d72" };
        emulator.key(sources).key(targets);
        int rows = 80;
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            String source = sources[i / targets.length % sources.length];
            String id = emulator.sourceProject(source, "turn-" + i, 2, 2);
            lines.add("uksouth," + source + "," + id + ",,australiaeast," + targets[i % targets.length] + ",t");
        }
        Path input = input("turns", "sourceRegion,sourceKey,projectId,token,region,key,tenant", lines);
        emulator.ratePerSecond(10);
        long started = System.nanoTime();

        JobExecution execution = launch(input).execution();

        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertThat(statuses(execution).values()).hasSize(rows).containsOnly(RowStatus.SUCCEEDED);
        long throttled = emulator.throttled(targets[0]) + emulator.throttled(targets[1]);
        long exports = 0;
        long exportsThrottled = 0;
        for (String source : sources) {
            exports += emulator.exportsOf(source);
            exportsThrottled += emulator.throttled(source);
        }
        System.out.printf("importsLeaveOnTheirTargetsBudgetWhateverTheirExportsWaited: %d rows in %d ms, %d exports"
                + " (%d throttled), %d calls the targets throttled%n", rows, millis, exports, exportsThrottled,
                throttled);
        // The code before: 6 throttled and 81 exports. Now none, or 1 or 2 on a loaded machine, where the
        // send's two ledger writes between the budget and the import leaving can take a slot's time.
        assertThat(throttled).as("calls the targets answered 429").isLessThanOrEqualTo(2);
        // A throttled export is made again too (the sources are held to the job's pace as well), and
        // so is an export whose import waited more than a second for its resource's send slot (one
        // import of unknown outcome per resource; on a loaded machine 1 or 2 in 80): at most 1 in 20.
        assertThat(exports).as("an export for each row, again only for a throttled call or a long wait for the slot")
                .isLessThanOrEqualTo(rows + throttled + exportsThrottled + rows / 20);
    }
}
