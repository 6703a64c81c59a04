package io.cvimport.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.cvimport.customvision.TargetResource;
import io.cvimport.input.RowIdentity;
import io.cvimport.ledger.ImportLedger;
import io.cvimport.ledger.Outcome;
import io.cvimport.ledger.TokenTarget;

/**
 * The plan of the rows naming a whole source resource: each is followed by a row per project
 * its source's listing shows, in the places a run would give them, judged as a row naming that
 * project (DUPLICATE of an earlier row of the input, ALREADY_IMPORTED by any run); the
 * capacity plan then refuses those past their target's project limit. A source that refuses
 * its key, or does not answer, says so on the row itself.
 */
final class WholeResourcePlan {

    private WholeResourcePlan() {
    }

    /**
     * @param sources   the source resources of the rows, by fingerprint
     * @param elsewhere the projects any run made for these identities and resources (see
     *                  {@link ImportLedger#succeededElsewhere}); none with {@code import.reimport}
     */
    static List<PlannedRow> expand(List<PlannedRow> rows, Map<String, TargetCheck> checks,
            Map<String, TargetResource> sources, Function<List<TokenTarget>, Map<TokenTarget, Outcome>> elsewhere) {
        if (rows.stream().noneMatch(row -> row.verdict() == Verdict.EXPANDED)) {
            return rows;
        }
        Map<TokenTarget, Long> seen = new HashMap<>();
        for (PlannedRow row : rows) {
            if (row.verdict() == Verdict.WOULD_IMPORT && row.tokenFp() != null && row.resource() != null) {
                seen.putIfAbsent(new TokenTarget(row.tokenFp(), row.resource()), row.rowNo());
            }
        }
        List<PlannedRow> expanded = new ArrayList<>(rows.size());
        for (PlannedRow row : rows) {
            if (row.verdict() != Verdict.EXPANDED) {
                expanded.add(row);
                continue;
            }
            TargetCheck check = checks.get(String.valueOf(row.tokenFp()));
            TargetResource source = sources.get(String.valueOf(row.tokenFp()));
            if (check instanceof TargetCheck.Listed listed && source != null) {
                expanded.add(row.judged(Verdict.EXPANDED, null, "source resource " + source.fingerprint() + " ("
                        + source.region().apiName() + ") holds " + listed.inOrder().size() + " projects: each a row"
                        + " of its own, to target " + row.targetFp() + " (" + row.region() + ")", null));
                expanded.addAll(projects(row, source, listed, seen, elsewhere));
            }
            else if (check instanceof TargetCheck.Refused refused) {
                expanded.add(row.judged(Verdict.WOULD_BE_REJECTED, refused.code(), "the source refuses the listing"
                        + " of its projects: " + refused.message(), null));
            }
            else {
                expanded.add(row.judged(Verdict.NOT_CHECKED, "NotChecked", check instanceof TargetCheck.Unchecked u
                        ? u.why() : "the source resource was not listed", null));
            }
        }
        return expanded;
    }

    private static List<PlannedRow> projects(PlannedRow row, TargetResource source, TargetCheck.Listed listed,
            Map<TokenTarget, Long> seen, Function<List<TokenTarget>, Map<TokenTarget, Outcome>> imported) {
        String resource = String.valueOf(row.resource());
        List<TokenTarget> pairs = listed.inOrder().stream().map(id -> new TokenTarget(
                RowIdentity.ofSourceProject(source.region().apiName(), id), resource)).toList();
        Map<TokenTarget, Outcome> elsewhere = pairs.isEmpty() ? Map.of() : imported.apply(pairs);
        List<PlannedRow> projects = new ArrayList<>(pairs.size());
        for (int i = 0; i < pairs.size(); i++) {
            TokenTarget pair = pairs.get(i);
            PlannedRow project = new PlannedRow(row.rowNo(), row.region(), row.targetFp(), pair.tokenFp(), resource,
                    Verdict.WOULD_IMPORT, null, null, null, null, row.extras(),
                    new PlannedRow.SourceRef(source.fingerprint(), listed.inOrder().get(i)), i + 1);
            Long first = seen.putIfAbsent(pair, row.rowNo());
            Outcome earlier = elsewhere.get(pair);
            if (first != null) {
                project = project.judged(Verdict.DUPLICATE, "Duplicate", "same source project and target as row "
                        + first, null);
            }
            else if (earlier != null) {
                project = project.judged(Verdict.ALREADY_IMPORTED, "AlreadyImported", "imported by an earlier run:"
                        + " project " + earlier.projectId(), null);
            }
            projects.add(project);
        }
        return projects;
    }
}
