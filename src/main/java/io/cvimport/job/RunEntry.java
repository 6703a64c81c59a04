package io.cvimport.job;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.cvimport.ledger.RowStatus;

/**
 * One execution as {@code --status} answers it. The component names are the JSON's field
 * names (documented in docs/): renaming one breaks the scripts that read them.
 *
 * @param started    with its offset (ISO 8601); null before the execution started
 * @param exitStatus null while it runs, or when it was killed without a trace
 * @param rows       the rows of its job instance per status, now
 * @param progress   how far a running execution has got, else null
 * @param partitions one line per partition of a running partitioned import
 */
record RunEntry(long execution, long instance, String status, @Nullable String started, @Nullable String ended,
        @Nullable Long tookMillis, @Nullable String exitStatus, @Nullable Integer exitCode, Map<RowStatus, Long> rows,
        @Nullable String input, @Nullable String report, @Nullable String progress, List<String> partitions) {

    /** {@code --status --format=json}. */
    record Answer(String repository, List<RunEntry> executions) {
    }

    /** {@code --report-of=ID --format=json}: the execution, and the report just written of it. */
    record ReportOf(long execution, String status, String exitStatus, int exitCode, Map<RowStatus, Long> rows,
            @Nullable String input, String report, long reportRows, String repository) {
    }

    static @Nullable String time(@Nullable LocalDateTime time) {
        // Spring Batch records local times of the JVM's zone.
        return time == null ? null : time.atZone(ZoneId.systemDefault()).toOffsetDateTime().toString();
    }
}
