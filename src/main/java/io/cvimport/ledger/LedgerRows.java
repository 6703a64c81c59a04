package io.cvimport.ledger;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

import io.cvimport.customvision.ApiError;
import io.cvimport.customvision.Fingerprint;
import io.cvimport.customvision.ProjectExport;
import io.cvimport.ledger.ClaimHolder;
import io.cvimport.ledger.ExportedCounts;
import io.cvimport.ledger.ImportLedger;
import io.cvimport.ledger.RowStatus;
import io.cvimport.ledger.Submission;

/**
 * The rows of one job instance in the ledger. The write-ahead of a send (with its claim and
 * its resource's slot) and the writes that record what happened commit together with other
 * threads' ({@link GroupCommit}), each still committed before its caller goes on, and a
 * write-ahead made durable before its send leaves.
 */
public final class LedgerRows implements RowRecorder {

    /** A commit at most every 15 ms (see {@link GroupCommit}): 5, 15, 20 and 40 ms measured in docs/benchmark.md. */
    static final Duration GROUP_SPACING = Duration.ofMillis(15);

    private final ImportLedger ledger;
    private final GroupCommit group;
    private final long instance;
    /** How long a send slot of a lost answer holds its resource against other runs: the request's lifetime. */
    private final long slotLeaseMillis;
    /**
     * The send this engine made of each row it marked SUBMITTING, until the row leaves it: the
     * writes of its answer are that send's only, never a later one's (another engine's).
     */
    private final Map<Long, Integer> sends = new ConcurrentHashMap<>();
    /** Null until the group's first checkpoint; false where commits are durable when made (PostgreSQL): none is run. */
    private volatile @Nullable Boolean checkpointing;
    private final LongAdder withProject = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder inDoubt = new LongAdder();

    public LedgerRows(ImportLedger ledger, long instance, long slotLeaseMillis) {
        this.slotLeaseMillis = slotLeaseMillis;
        this.ledger = ledger;
        this.group = new GroupCommit(ledger::together, GROUP_SPACING, this::makeWriteAheadsDurable);
        this.instance = instance;
    }

    /**
     * The write-ahead commits with other threads' writes, and is in the file (H2) before this
     * returns, by the group's checkpoint after its commit; one that the repository lost before
     * it got there is made again (3 tries).
     */
    @Override
    public Submission submitting(long row, long sentAtMillis, boolean fromInDoubt) {
        for (int tries = 0; tries < 3; tries++) {
            GroupCommit.Committed<Submission> written = group.durable(() -> ledger.markSubmitting(instance, row,
                    sentAtMillis, fromInDoubt, slotLeaseMillis));
            Submission submission = written.result();
            if (!submission.mayBeSent()) {
                return submission;
            }
            if (ledger.writeAheadDurable(instance, row, submission.attempt(), written.flushed())) {
                sends.put(row, submission.attempt());
                return submission;
            }
        }
        return Submission.NOT_PENDING;
    }

    /** The group commit's flush, once it committed write-aheads: a checkpoint on H2, nothing (and no transaction) elsewhere. */
    private void makeWriteAheadsDurable() {
        if (!Boolean.FALSE.equals(checkpointing)) {
            checkpointing = ledger.makeWriteAheadsDurable();
        }
    }

    /** The group commits made so far. */
    long commits() {
        return group.commits();
    }

    @Override
    public void checkFence() {
        ledger.checkFence();
    }

    @Override
    public boolean exported(long row, ProjectExport export, long atMillis) {
        return ledger.markExported(instance, row, new ExportedCounts(export.iterationCount(), export.imageCount(),
                export.tagCount(), export.regionCount(), export.estimatedImportTime().toMillis()),
                Fingerprint.of(export.token()), atMillis);
    }

    @Override
    public @Nullable ExportedCounts exported(long row) {
        return ledger.exportedCounts(instance, row);
    }

    @Override
    public boolean verified(long row, @Nullable Boolean matches, @Nullable String message) {
        return ledger.markVerified(instance, row, matches, message);
    }

    @Override
    public boolean importing(long row, String projectId, long answeredAtMillis) {
        return sent(row, group.write(() -> ledger.markImporting(instance, row, sends.get(row), projectId,
                answeredAtMillis)));
    }

    @Override
    public boolean answerLost(long row, long lostAtMillis, ApiError error) {
        return group.write(() -> ledger.markAnswerLost(instance, row, sends.get(row), lostAtMillis, error.code(),
                error.message()));
    }

    @Override
    public void renewSlot(long row, long nowMillis) {
        ledger.renewSlot(instance, row, nowMillis);
    }

    @Override
    public boolean backToPending(long row, String code, String message) {
        return sent(row, group.write(() -> ledger.backToPending(instance, row, sends.get(row), code, message)));
    }

    @Override
    public boolean notSent(long row, String code, String message) {
        return group.write(() -> ledger.notSent(instance, row, code, message));
    }

    @Override
    public boolean succeeded(long row, String projectId) {
        return finish(row, RowStatus.SUCCEEDED, projectId, null, null, null);
    }

    @Override
    public boolean failed(long row, String projectId, String message) {
        return finish(row, RowStatus.FAILED, projectId, null, message, null);
    }

    @Override
    public boolean failed(long row, String projectId, ApiError error) {
        return finish(row, RowStatus.FAILED, projectId, error.code(), error.message(), null);
    }

    @Override
    public boolean stuck(long row, String projectId, String message) {
        return counted(group.write(() -> ledger.giveUp(instance, row, projectId, message)), withProject);
    }

    @Override
    public boolean stuckElsewhere(long row, String projectId, String message) {
        return group.write(() -> ledger.stuckElsewhere(instance, row, projectId, message));
    }

    @Override
    public boolean refusedUnsent(long row, ApiError error) {
        return counted(group.write(() -> ledger.refusedUnsent(instance, row, error.code(), error.message())), rejected);
    }

    @Override
    public boolean rejected(long row, ApiError error) {
        return finish(row, RowStatus.REJECTED, null, error.code(), error.message(), null);
    }

    @Override
    public boolean timedOut(long row, String projectId, String message) {
        return finish(row, RowStatus.TIMED_OUT, projectId, null, message, null);
    }

    @Override
    public boolean timedOut(long row, String projectId, ApiError error) {
        return finish(row, RowStatus.TIMED_OUT, projectId, error.code(), error.message(), null);
    }

    @Override
    public boolean inDoubt(long row, String message, @Nullable String candidates) {
        return finish(row, RowStatus.IN_DOUBT, null, "InDoubt", message, candidates);
    }

    @Override
    public boolean duplicate(long row, String message) {
        return finish(row, RowStatus.DUPLICATE, null, "Duplicate", message, null);
    }

    @Override
    public boolean alreadyImported(long row, @Nullable String projectId, String message) {
        return finish(row, RowStatus.ALREADY_IMPORTED, projectId, "AlreadyImported", message, null);
    }

    @Override
    public @Nullable ClaimHolder claimHolder(long row) {
        return ledger.claimHolder(instance, row);
    }

    @Override
    public void releaseClaim(long holderInstance, long row) {
        ledger.releaseClaim(holderInstance, row);
    }

    @Override
    public Set<String> claimed(Collection<String> projectIds) {
        return ledger.claimed(projectIds);
    }

    @Override
    public Settled settled() {
        return new Settled(withProject.sum(), rejected.sum(), inDoubt.sum());
    }

    private boolean finish(long row, RowStatus status, @Nullable String projectId, @Nullable String code,
            @Nullable String message, @Nullable String candidates) {
        boolean moved = sent(row, group.write(() -> ledger.finish(instance, row, sends.get(row), status, projectId, code,
                message, candidates)));
        return switch (status) {
            case SUCCEEDED, FAILED, TIMED_OUT -> counted(moved, withProject);
            case REJECTED -> counted(moved, rejected);
            case IN_DOUBT -> counted(moved, inDoubt);
            default -> moved;
        };
    }

    /** A row that left SUBMITTING: its send is over. */
    private boolean sent(long row, boolean moved) {
        if (moved) {
            sends.remove(row);
        }
        return moved;
    }

    private static boolean counted(boolean moved, LongAdder count) {
        if (moved) {
            count.increment();
        }
        return moved;
    }
}
