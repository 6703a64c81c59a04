package io.cvimport.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.cvimport.ledger.Outcome;
import io.cvimport.ledger.RowStatus;
import io.cvimport.reopen.ReopenProperties;

/**
 * The verdicts of rows that the input's last run already settled or sent: a run resumes or
 * repeats that run, so it sends none of them again (see {@code ImportCommand}); it reports
 * their outcome as it stands, or awaits their project.
 */
final class EarlierOutcomes {

    /**
     * The options with which a run reopens rows its last run ended, as {@code Reopening}
     * does: {@code --import.retry-rejected}, {@code --import.resend-in-doubt} and
     * {@code --import.adopt}.
     */
    record Reopen(ReopenProperties options, boolean resendInDoubt) {

        /** A row that a run would send again: the plan judges it as a new row. */
        boolean sendsAgain(Outcome row) {
            String code = row.errorCode();
            return row.status() == RowStatus.REJECTED && code != null && options.retries(code)
                    || row.status() == RowStatus.IN_DOUBT && resendInDoubt && !adopts(row);
        }

        /** An IN_DOUBT row given a project by the operator: a run awaits that project. */
        boolean adopts(Outcome row) {
            return row.status() == RowStatus.IN_DOUBT && options.adoptions().containsKey(row.rowNo());
        }
    }

    private EarlierOutcomes() {
    }

    /** The judged rows and the rows left by the earlier run, in row order. */
    static List<PlannedRow> merge(List<PlannedRow> judged, Map<Long, Outcome> left, Reopen reopen) {
        if (left.isEmpty()) {
            return judged;
        }
        List<PlannedRow> all = new ArrayList<>(judged);
        left.values().forEach(outcome -> all.add(planned(outcome, reopen.adopts(outcome))));
        all.sort(Comparator.comparingLong(PlannedRow::rowNo));
        return all;
    }

    static PlannedRow planned(Outcome row, boolean adopted) {
        String message = row.message() == null ? "" : ": " + row.message();
        Verdict verdict = adopted ? Verdict.WOULD_AWAIT : switch (row.status()) {
            case SUCCEEDED, ALREADY_IMPORTED -> Verdict.ALREADY_IMPORTED;
            case DUPLICATE -> Verdict.DUPLICATE;
            case EXPANDED -> Verdict.EXPANDED;
            case INVALID -> Verdict.INVALID;
            case SUBMITTING, IMPORTING, TIMED_OUT -> Verdict.WOULD_AWAIT;
            case REJECTED, FAILED, IN_DOUBT, PENDING -> Verdict.ENDED;
        };
        String reason = switch (verdict) {
            case ALREADY_IMPORTED -> row.status() == RowStatus.SUCCEEDED
                    ? "imported by an earlier run of this input: project " + row.projectId() : row.message();
            case WOULD_AWAIT -> adopted ? "IN_DOUBT, given a project by --import.adopt: a run awaits it"
                    : row.status() + " in an earlier run of this input"
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
