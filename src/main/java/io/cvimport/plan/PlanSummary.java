package io.cvimport.plan;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The plan as the operator reads it: a line per target resource, counts per verdict, the first rows that would not go through. */
final class PlanSummary {

    private static final int ATTENTION_ROWS = 10;

    private PlanSummary() {
    }

    static void print(PrintStream out, Path input, CapacityPlan.Result plan, Path report, long calls,
            Duration took, int exitCode) {
        Map<Verdict, Long> counts = new EnumMap<>(Verdict.class);
        plan.rows().forEach(row -> counts.merge(row.verdict(), 1L, Long::sum));
        long imports = counts.getOrDefault(Verdict.WOULD_IMPORT, 0L);
        long settled = counts.getOrDefault(Verdict.ALREADY_IMPORTED, 0L) + counts.getOrDefault(Verdict.DUPLICATE, 0L)
                + counts.getOrDefault(Verdict.WOULD_AWAIT, 0L);
        out.println();
        out.printf(Locale.ROOT, "Plan of %s (no import was made): %d of %d rows would be imported, %d already"
                + " imported, duplicates or awaited, %d would not go through.%n", input, imports, plan.rows().size(),
                settled, plan.rows().size() - imports - settled);
        printResources(out, plan.resources());
        counts.forEach((verdict, count) -> out.printf(Locale.ROOT, "  %-20s %6d%n", verdict, count));
        printWholeResources(out, plan.rows());
        List<PlannedRow> attention = plan.rows().stream().filter(row -> !row.verdict().goesThrough())
                .limit(ATTENTION_ROWS).toList();
        if (!attention.isEmpty()) {
            out.println("Rows that would not go through" + (attention.size() == ATTENTION_ROWS ? " (first "
                    + ATTENTION_ROWS + ")" : "") + ":");
            for (PlannedRow row : attention) {
                out.printf(Locale.ROOT, "  row %s: %s %s %s%n", row.place() == null ? String.valueOf(row.rowNo())
                        : row.rowNo() + "." + row.place(), row.verdict(),
                        row.code() == null ? "" : row.code(), row.reason() == null ? "" : row.reason());
            }
        }
        out.printf(Locale.ROOT, "Plan report: %s%n", report);
        out.printf(Locale.ROOT, "API calls: %d GetProjects; planned in %.1f s; exit code %d%n", calls,
                took.toMillis() / 1000.0, exitCode);
    }

    /** A line per target resource, and the run's estimate: the slowest resource's. */
    private static void printResources(PrintStream out, List<CapacityPlan.ResourceLine> resources) {
        out.println();
        out.printf(Locale.ROOT, "%-16s  %-14s  %7s  %7s  %12s  %5s  %13s  %7s  %9s  %s%n", "resource", "region", "to send",
                "imports", "projects now", "limit", "capacity left", "calls/s", "estimated", "state");
        Duration longest = Duration.ZERO;
        for (CapacityPlan.ResourceLine line : resources) {
            Integer projectsNow = line.projectsNow();
            out.printf(Locale.ROOT, "%-16s  %-14s  %7d  %7d  %12s  %5d  %13s  %7.1f  %9s  %s%n", line.resource(),
                    line.region(), line.rows(), line.imports(),
                    projectsNow == null ? "?" : projectsNow.toString(), line.projectLimit(),
                    projectsNow == null ? "?" : Integer.toString(line.capacityLeft()), line.rate(),
                    format(line.estimate()), line.state());
            longest = line.estimate().compareTo(longest) > 0 ? line.estimate() : longest;
        }
        out.printf(Locale.ROOT, "Estimated run: %s (resources are worked side by side; the slowest one sets it).%n",
                format(longest));
        out.println();
    }

    /** Each whole source resource: how many projects it holds, where they go, what would become of them. */
    private static void printWholeResources(PrintStream out, List<PlannedRow> rows) {
        for (PlannedRow row : rows) {
            if (row.place() != null || row.verdict() != Verdict.EXPANDED) {
                continue;
            }
            Map<Verdict, Long> projects = new EnumMap<>(Verdict.class);
            rows.stream().filter(p -> p.place() != null && p.rowNo() == row.rowNo())
                    .forEach(p -> projects.merge(p.verdict(), 1L, Long::sum));
            out.printf(Locale.ROOT, "  row %d: %s%s%n", row.rowNo(), row.reason(), projects.isEmpty() ? ""
                    : "; " + projects.toString().replaceAll("[{}]", "").replace('=', ' '));
        }
    }

    static String format(Duration duration) {
        long seconds = Math.max(0, (duration.toMillis() + 999) / 1000);
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm %02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh %02dm", seconds / 3600, seconds % 3600 / 60);
    }
}
