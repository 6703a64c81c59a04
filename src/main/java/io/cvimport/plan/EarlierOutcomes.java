package io.cvimport.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.cvimport.ledger.Outcome;
import io.cvimport.ledger.RowStatus;

/**
 * The verdicts of rows that the input's last run already settled or sent: a run resumes or
 * repeats that run, so it sends none of them again (see {@code ImportCommand}); it reports
 * their outcome as it stands, or awaits their project.
 */
final class EarlierOutcomes {

    private EarlierOutcomes() {
    }

    /** The judged rows and the rows left by the earlier run, in row order. */
    static List<PlannedRow> merge(List<PlannedRow> judged, Map<Long, Outcome> left) {
        if (left.isEmpty()) {
            return judged;
        }
        List<PlannedRow> all = new ArrayList<>(judged);
        left.values().forEach(outcome -> all.add(planned(outcome)));
        all.sort(Comparator.comparingLong(PlannedRow::rowNo));
        return all;
    }

    static PlannedRow planned(Outcome row) {
        String message = row.message() == null ? "" : ": " + row.message();
        Verdict verdict = switch (row.status()) {
            case SUCCEEDED, ALREADY_IMPORTED -> Verdict.ALREADY_IMPORTED;
            case DUPLICATE -> Verdict.DUPLICATE;
            case INVALID -> Verdict.INVALID;
            case SUBMITTING, IMPORTING, TIMED_OUT -> Verdict.WOULD_AWAIT;
            case REJECTED, FAILED, IN_DOUBT, PENDING -> Verdict.ENDED;
        };
        String reason = switch (verdict) {
            case ALREADY_IMPORTED -> row.status() == RowStatus.SUCCEEDED
                    ? "imported by an earlier run of this input: project " + row.projectId() : row.message();
            case WOULD_AWAIT -> row.status() + " in an earlier run of this input"
                    + (row.projectId() == null ? "" : " (project " + row.projectId() + ")")
                    + ": a run awaits it and sends nothing";
            case ENDED -> row.status() + " in an earlier run of this input" + message
                    + "; a run leaves it as it is";
            default -> row.message();
        };
        return new PlannedRow(row.rowNo(), row.region(), row.targetFp(), row.tokenFp(), row.resource(), verdict,
                row.errorCode(), reason, null, null, row.extras(), null);
    }
}
