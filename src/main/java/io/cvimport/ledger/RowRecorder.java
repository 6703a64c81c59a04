package io.cvimport.ledger;

import java.util.Collection;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import io.cvimport.customvision.ApiError;
import io.cvimport.customvision.ProjectExport;
import io.cvimport.ledger.ClaimHolder;
import io.cvimport.ledger.ExportedCounts;
import io.cvimport.ledger.Submission;

/**
 * The engine's view of one job instance's rows: each transition named for what happened.
 * Every transition moves a row only from the states that lead to it (a late writer moves
 * nothing) and returns whether it moved it.
 */
public interface RowRecorder {

    /**
     * Write-ahead, with the claim and the fence check in one transaction (see
     * {@link io.cvimport.ledger.ImportLedger#markSubmitting}).
     */
    Submission submitting(long row, long sentAtMillis, boolean fromInDoubt);

    /** Reads the lock's generation again; throws when another run took the lock over. */
    void checkFence();

    /**
     * A source row's export answered just before the row was marked SUBMITTING: its counts
     * are kept, its token only by fingerprint.
     */
    boolean exported(long row, ProjectExport export, long atMillis);

    /** The counts the row's last export announced; null for a token row (never exported). */
    @Nullable ExportedCounts exported(long row);

    /**
     * A SUCCEEDED row's project compared with its export: whether its counts matched (null when
     * some could not be read), and what was found (the row stays SUCCEEDED).
     */
    boolean verified(long row, @Nullable Boolean matches, @Nullable String message);

    /** The service made the project: the row is awaited from now on, never resent. */
    boolean importing(long row, String projectId, long answeredAtMillis);

    /** The row's lost answer is still undecided: its resource's send slot stays its own for another lease. */
    void renewSlot(long row, long nowMillis);

    /** The answer to a sent import was lost: the row stays SUBMITTING until reconciled. */
    boolean answerLost(long row, long lostAtMillis, ApiError error);

    /** The import was not performed: the row may be sent again (by this run or the next). */
    boolean backToPending(long row, String code, String message);

    /** A PENDING row was not sent this time (its export failed): why, while it waits to be sent again. */
    boolean notSent(long row, String code, String message);

    boolean succeeded(long row, String projectId);

    /** The project left Importing for another status than Succeeded. */
    boolean failed(long row, String projectId, String message);

    /** The service refuses to tell the project (GetProject refused): the row ends FAILED with its refusal. */
    boolean failed(long row, String projectId, ApiError error);

    /** Still Importing past import.give-up-after: FAILED, keeping the claim (the project may yet succeed). */
    boolean stuck(long row, String projectId, String message);

    /**
     * A PENDING row whose token an earlier run imported into the same resource, where the
     * project was given up as stuck Importing: FAILED with that project, not sent.
     */
    boolean stuckElsewhere(long row, String projectId, String message);

    /**
     * The service refused the row before any import was sent (its key's listing, or its
     * source project's export): REJECTED with that refusal.
     */
    boolean refusedUnsent(long row, ApiError error);

    /** The service refused the import before any work. */
    boolean rejected(long row, ApiError error);

    boolean timedOut(long row, String projectId, String message);

    /** The target refuses its listing: the awaited project cannot be told in this run. */
    boolean timedOut(long row, String projectId, ApiError error);

    /** The import's project cannot be told apart: {@code candidates} (space-separated ids) or none. */
    boolean inDoubt(long row, String message, @Nullable String candidates);

    boolean duplicate(long row, String message);

    boolean alreadyImported(long row, @Nullable String projectId, String message);

    /** The row that now holds the claim this row needs; null when none does. */
    @Nullable ClaimHolder claimHolder(long row);

    /** Releases a finished row's claim (of any job instance), so that its token may be imported again. */
    void releaseClaim(long instance, long row);

    /** Which of these project ids some row of any run already owns. */
    Set<String> claimed(Collection<String> projectIds);

    /** The rows this recorder settled so far, by kind of outcome. */
    Settled settled();

    /**
     * Rows settled by this engine: with a project (SUCCEEDED, FAILED, TIMED_OUT), refused
     * without one (REJECTED), and left IN_DOUBT.
     */
    record Settled(long withProject, long rejected, long inDoubt) {

        public static final Settled NONE = new Settled(0, 0, 0);

        public Settled minus(Settled earlier) {
            return new Settled(withProject - earlier.withProject, rejected - earlier.rejected,
                    inDoubt - earlier.inDoubt);
        }
    }
}
