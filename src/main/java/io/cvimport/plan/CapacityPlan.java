package io.cvimport.plan;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Decides, per target resource and in input order, what becomes of the rows a run would
 * send: refused with its key, past the resource's project limit, or expired by the time its
 * turn comes. A row's turn is its place among the resource's sends at the resource's rate, as
 * a run started now would pace them; only rows that would make a project use up capacity. A
 * source row whose project is missing from its source's listing is refused before it takes a turn.
 */
final class CapacityPlan {

    /** How one resource is worked: its project limit and its rate (calls per second). */
    record Budget(int projectLimit, double rate) {
    }

    /**
     * A resource's line in the summary.
     *
     * @param projectsNow null when its listing did not answer
     * @param sends       rows a run would send to it (each one call)
     * @param estimate    from the first send to the last import's end
     */
    record ResourceLine(String resource, String region, int rows, int imports, @Nullable Integer projectsNow,
            int projectLimit, double rate, int sends, Duration estimate, String state) {

        int capacityLeft() {
            return projectsNow == null ? 0 : Math.max(0, projectLimit - projectsNow - imports);
        }
    }

    record Result(List<PlannedRow> rows, List<ResourceLine> resources) {
    }

    private CapacityPlan() {
    }

    static Result plan(List<PlannedRow> rows, Map<String, TargetCheck> checks, Map<String, Budget> budgets,
            Instant start, Duration importTime) {
        Map<String, Tally> tallies = new LinkedHashMap<>();
        List<PlannedRow> planned = new ArrayList<>(rows.size());
        for (PlannedRow row : rows) {
            String resource = row.resource();
            Budget budget = resource == null ? null : budgets.get(resource);
            if (row.verdict() != Verdict.WOULD_IMPORT || resource == null || budget == null) {
                planned.add(row);
                continue;
            }
            Tally tally = tallies.computeIfAbsent(resource, r -> new Tally(String.valueOf(row.region()), budget));
            tally.rows++;
            PlannedRow missing = sourceMissing(row, checks);
            planned.add(missing != null ? missing
                    : judge(row, checks.get(String.valueOf(row.targetFp())), budget, tally, start));
        }
        List<ResourceLine> lines = new ArrayList<>();
        tallies.forEach((resource, tally) -> {
            Budget budget = tally.budget;
            Duration estimate = tally.sends == 0 ? Duration.ZERO
                    : Duration.ofMillis((long) (tally.sends * 1000 / budget.rate())).plus(importTime);
            lines.add(new ResourceLine(resource, tally.region, tally.rows, tally.imports, tally.projects,
                    budget.projectLimit(), budget.rate(), tally.sends, estimate, tally.state()));
        });
        return new Result(planned, lines);
    }

    /**
     * A source row whose project is not in its source resource's listing: its export would
     * answer NotFoundProject, and nothing would be sent to the target (null: nothing to say).
     */
    private static @Nullable PlannedRow sourceMissing(PlannedRow row, Map<String, TargetCheck> checks) {
        PlannedRow.SourceRef source = row.source();
        if (source == null) {
            return null;
        }
        TargetCheck check = checks.get(source.resourceFp());
        if (check instanceof TargetCheck.Listed listed && !listed.projectIds().contains(source.projectId())) {
            return row.judged(Verdict.WOULD_BE_REJECTED, "NotFoundProject", "project " + source.projectId()
                    + " is not in its source resource's project list", null);
        }
        if (check instanceof TargetCheck.Refused refused) {
            return row.judged(Verdict.WOULD_BE_REJECTED, refused.code(), "the source refuses its key: "
                    + refused.message(), null);
        }
        if (check instanceof TargetCheck.Unchecked unchecked) {
            return row.judged(Verdict.NOT_CHECKED, "NotChecked", unchecked.why(), null);
        }
        return null;
    }

    private static PlannedRow judge(PlannedRow row, @Nullable TargetCheck check, Budget budget, Tally tally,
            Instant start) {
        if (check instanceof TargetCheck.Refused refused) {
            tally.refused = refused.code();
            return row.judged(Verdict.WOULD_BE_REJECTED, refused.code(), "the target refuses its key: "
                    + refused.message(), null);
        }
        if (!(check instanceof TargetCheck.Listed listed)) {
            tally.unchecked = true;
            return row.judged(Verdict.NOT_CHECKED, "NotChecked", check instanceof TargetCheck.Unchecked unchecked
                    ? unchecked.why() : "the target was not listed", null);
        }
        tally.projects = listed.projects();
        Instant send = start.plusMillis((long) (tally.sends * 1000 / budget.rate()));
        tally.sends++;
        Instant expiry = row.expiry();
        if (expiry != null && expiry.isBefore(send)) {
            return row.judged(Verdict.EXPIRES_BEFORE_SEND, "TokenExpired", "the token expires at " + expiry
                    + ", before its estimated send at " + send + " (send " + tally.sends + " to its resource at "
                    + budget.rate() + " calls/s)", send);
        }
        if (listed.projects() + tally.imports >= budget.projectLimit()) {
            return row.judged(Verdict.WOULD_EXCEED_LIMIT, "BadRequestExceedProjectLimit", "the resource holds "
                    + listed.projects() + (listed.projects() == 1 ? " project" : " projects") + " and "
                    + tally.imports + (tally.imports == 1 ? " import is" : " imports are") + " planned before this"
                    + " row: its limit is " + budget.projectLimit() + " (--import.project-limit)", send);
        }
        tally.imports++;
        return row.judged(Verdict.WOULD_IMPORT, null, null, send);
    }

    /** What one resource's rows come to, as they are judged. */
    private static final class Tally {
        final String region;
        final Budget budget;
        int rows;
        int sends;
        int imports;
        @Nullable Integer projects;
        @Nullable String refused;
        boolean unchecked;

        Tally(String region, Budget budget) {
            this.region = region;
            this.budget = budget;
        }

        String state() {
            if (refused != null && projects == null) {
                return "key refused (" + refused + ")";
            }
            if (unchecked && projects == null) {
                return "not checked";
            }
            return refused != null ? "listed; a key refused (" + refused + ")" : "listed";
        }
    }
}
