package io.cvimport.job;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;

import io.cvimport.ledger.RowStatus;
import io.cvimport.scale.Partition;

/**
 * How far a running execution has got, from the job repository alone: its running step's
 * counts as recorded at the step's last round (the import step adds the rows settled in
 * each round: written when they ended with a project, filtered when rejected, skipped in
 * doubt) and the ledger's open rows. A run killed without a trace looks the same, except that its last
 * record grows old.
 */
final class RunningProgress {

    private RunningProgress() {
    }

    /** The progress line, or null when no step of the execution is running. */
    static @Nullable String of(JobExecution execution, Map<RowStatus, Long> counts, LocalDateTime now) {
        StepExecution step = execution.getStepExecutions().stream()
                .filter(each -> each.getStatus().isRunning() && each.getEndTime() == null)
                .max(Comparator.comparing(StepExecution::getId)).orElse(null);
        if (step == null || step.getStartTime() == null) {
            return null;
        }
        LocalDateTime started = step.getStartTime();
        if (step.getStepName().startsWith("import:")) {
            // A partitioned import runs since its manager step started.
            started = execution.getStepExecutions().stream()
                    .filter(each -> "import".equals(each.getStepName()) && each.getEndTime() == null)
                    .map(StepExecution::getStartTime).filter(java.util.Objects::nonNull).findFirst().orElse(started);
        }
        Duration running = positive(Duration.between(started, now));
        String last = step.getLastUpdated() == null ? ""
                : "; last recorded " + format(positive(Duration.between(step.getLastUpdated(), now))) + " ago";
        String stopping = execution.getStatus().isRunning() && !execution.isStopping() ? "" : " (stop requested)";
        boolean partitioned = step.getStepName().startsWith("import:");
        if (!"import".equals(step.getStepName()) && !partitioned) {
            return step.getStepName() + " step running for " + format(running) + stopping + ": " + step.getReadCount()
                    + " rows read" + last;
        }
        Settled rows = Settled.of(execution, step);
        long settled = rows.withProject() + rows.rejected() + rows.inDoubt();
        long open = RowStatus.OPEN.stream().mapToLong(status -> counts.getOrDefault(status, 0L)).sum();
        double perSecond = settled / Math.max(running.toMillis() / 1000.0, 0.001);
        // Before a row settles there is no rate: "0.0 rows/s" would only say that.
        String rate = settled == 0 ? "no row settled yet, so no estimate of the time left; " + open + " rows open"
                : String.format(Locale.ROOT, "%.1f rows/s, %d rows open, about %s left", perSecond, open,
                        format(Duration.ofSeconds((long) (open / perSecond))));
        return String.format(Locale.ROOT, "import step running for %s%s: %d rows settled by this execution"
                + " (%d with a project, %d rejected, %d in doubt), %s%s", format(running), stopping, settled,
                rows.withProject(), rows.rejected(), rows.inDoubt(), rate, last);
    }

    /**
     * For a partitioned import, one line per partition this execution ran: its state, the rows
     * its step recorded as settled, how long ago it last recorded a round, and the worker that
     * took it, if a worker did (a partition whose worker died shows its last record growing
     * old, then FAILED, and the partition again on another worker). Empty for a plain import step.
     */
    static List<String> partitions(JobExecution execution, Map<Long, String> workers, LocalDateTime now) {
        return execution.getStepExecutions().stream()
                .filter(step -> step.getStepName().startsWith("import:"))
                .sorted(Comparator.comparing(StepExecution::getStepName).thenComparing(StepExecution::getId))
                .map(step -> {
                    Partition partition = Partition.of(step.getExecutionContext());
                    long settled = step.getWriteCount() + step.getFilterCount() + step.getProcessSkipCount();
                    String last = step.getLastUpdated() == null || !step.getStatus().isRunning() ? ""
                            : ", last recorded " + format(positive(Duration.between(step.getLastUpdated(), now)))
                                    + " ago";
                    String worker = workers.containsKey(step.getId()) ? ", worker " + workers.get(step.getId()) : "";
                    return String.format(Locale.ROOT, "%s: %s%s, %d rows settled (%d with a project, %d rejected,"
                            + " %d in doubt)%s", partition.whole() ? step.getStepName() : partition, step.getStatus(),
                            worker, settled, step.getWriteCount(), step.getFilterCount(), step.getProcessSkipCount(),
                            last);
                })
                .toList();
    }

    /** Rows settled by the import step: by the plain step, or by every partition this execution ran. */
    private record Settled(long withProject, long rejected, long inDoubt) {

        static Settled of(JobExecution execution, StepExecution running) {
            if (!running.getStepName().startsWith("import:")) {
                return new Settled(running.getWriteCount(), running.getFilterCount(), running.getProcessSkipCount());
            }
            long withProject = 0;
            long rejected = 0;
            long inDoubt = 0;
            for (StepExecution partition : execution.getStepExecutions()) {
                if (partition.getStepName().startsWith("import:")) {
                    withProject += partition.getWriteCount();
                    rejected += partition.getFilterCount();
                    inDoubt += partition.getProcessSkipCount();
                }
            }
            return new Settled(withProject, rejected, inDoubt);
        }
    }

    private static Duration positive(Duration duration) {
        return duration.isNegative() ? Duration.ZERO : duration;
    }

    static String format(Duration duration) {
        long s = duration.toSeconds();
        return s >= 3600 ? s / 3600 + "h" + (s % 3600) / 60 + "m" : s >= 60 ? s / 60 + "m" + s % 60 + "s" : s + "s";
    }
}
