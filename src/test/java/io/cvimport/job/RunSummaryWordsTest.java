package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobInterruptedException;

/** The summary's words: what a run came to, its failures, its durations and times, as an operator reads them. */
class RunSummaryWordsTest {

    @Test
    void theFirstLineAgreesWithTheExitCode() {
        assertThat(RunSummary.outcome(BatchStatus.COMPLETED, 0)).isEqualTo("finished");
        assertThat(RunSummary.outcome(BatchStatus.COMPLETED, 3)).isEqualTo("finished with rows that need attention");
        assertThat(RunSummary.outcome(BatchStatus.STOPPED, 1)).isEqualTo("stopped");
        assertThat(RunSummary.outcome(BatchStatus.FAILED, 1)).isEqualTo("failed");
        assertThat(RunSummary.outcome(BatchStatus.FAILED, 2)).isEqualTo("ended: its input is unusable");
    }

    @Test
    void failuresAreTheirMessagesNotTheirClasses() {
        assertThat(RunSummary.failure(new JobInterruptedException("Job interrupted by step execution")))
                .as("a stop that was asked for is no failure").isNull();
        assertThat(RunSummary.failure(new IllegalStateException("wrapped",
                new SQLException("Connection refused to jdbc:postgresql://db/cv?password=secret"))))
                .doesNotContain("Exception").doesNotContain("secret").startsWith("Connection refused");
        assertThat(RunSummary.failure(new NullPointerException())).doesNotContain("Exception")
                .contains("the log above");
    }

    @Test
    void durationsInOneStyle() {
        assertThat(RunSummary.format(Duration.ofMillis(850))).isEqualTo("850ms");
        assertThat(RunSummary.format(Duration.ofMillis(1547))).isEqualTo("1.5s");
        assertThat(RunSummary.format(Duration.ofSeconds(42))).isEqualTo("42s");
        assertThat(RunSummary.format(Duration.ofSeconds(185))).isEqualTo("3m5s");
        assertThat(RunSummary.format(Duration.ofMinutes(62))).isEqualTo("1h2m");
    }

    @Test
    void timesCarryTheirZone() {
        String zone = LocalDateTime.of(2026, 12, 6, 4, 17, 18).atZone(ZoneId.systemDefault())
                .format(java.time.format.DateTimeFormatter.ofPattern("z", java.util.Locale.ROOT));
        assertThat(RunSummary.time(LocalDateTime.of(2026, 12, 6, 4, 17, 18))).isEqualTo("2026-12-06 04:17:18 " + zone);
    }
}
