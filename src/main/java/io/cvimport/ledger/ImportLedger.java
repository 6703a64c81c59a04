package io.cvimport.ledger;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The ledger table, as the job sees it. Load-step writes join the chunk's transaction (so
 * a chunk's rows commit together, and the rows held say where the load resumes); the import engine's writes are
 * committed before the call they announce leaves or right after its answer arrives
 * ({@link LedgerTransitions}), alone or {@link #together} with other threads' writes; the
 * queries are {@link LedgerReads}'.
 */
@Component
public class ImportLedger {

    private final NamedParameterJdbcTemplate jdbc;
    private final ImportClaims claims;
    private final ImportSlots slots;
    private final LedgerReads reads;
    private final LedgerRecords records;
    private final LedgerTransitions transitions;
    private final TransactionTemplate required;

    public ImportLedger(JdbcTemplate jdbcTemplate, ImportClaims claims, ImportSlots slots,
            PlatformTransactionManager transactionManager, Fence fence) {
        this.jdbc = new NamedParameterJdbcTemplate(jdbcTemplate);
        this.claims = claims;
        this.slots = slots;
        // Nested: a claim that cannot be taken rolls back to its savepoint only, whether the
        // call runs alone or inside a transaction of the caller's (the outage ride-through's).
        TransactionTemplate transaction = new TransactionTemplate(transactionManager);
        transaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.reads = new LedgerReads(jdbc);
        this.records = new LedgerRecords(jdbc);
        this.transitions = new LedgerTransitions(jdbc, claims, slots, transaction, fence);
        this.required = new TransactionTemplate(transactionManager);
    }

    /** The checkpoints that made write-aheads durable so far (none but on H2). */
    long writeAheadCheckpoints() {
        return transitions.checkpoints();
    }

    /**
     * Runs several writes of the import engine in this one transaction (the caller's or, through
     * the outage ride-through, one of its own). The first write that fails ends it: the
     * transaction rolls back, none of the writes happened, and the failure is thrown, so that
     * the ride-through takes an outage for what it is (a transaction that committed nothing
     * would say the repository was back).
     */
    public void together(List<? extends Runnable> writes) {
        required.executeWithoutResult(transaction -> writes.forEach(Runnable::run));
    }

    // ---- load step

    public void insert(long instance, List<LedgerRow> rows) {
        records.insert(instance, rows);
    }

    /**
     * The first row of this instance that holds each token-resource pair, for DUPLICATE
     * (pairs name resources, not targets, in their second part).
     */
    public Map<TokenTarget, Long> firstRows(long instance, Collection<TokenTarget> pairs) {
        return reads.firstRows(instance, pairs);
    }

    /**
     * Projects that other job instances made for each token-resource pair: a token
     * imported by any earlier run is not imported again. Imports still on their way are
     * not outcomes yet: their claims hold the later rows back when those are sent.
     */
    public Map<TokenTarget, Outcome> succeededElsewhere(long instance, Collection<TokenTarget> pairs) {
        return reads.succeededElsewhere(instance, pairs);
    }

    /**
     * What the load step recorded of this instance: every input row gets a ledger row, in
     * order, a chunk per transaction, so the load resumes after the last one.
     */
    public LoadedRows loadedRows(long instance) {
        return reads.loadedRows(instance);
    }

    // ---- import step

    public long count(long instance, Collection<RowStatus> statuses) {
        return reads.count(instance, statuses);
    }

    /** Rows in the given statuses among rows {@code from..to}, in row order. */
    public List<OpenRow> rowsBetween(long instance, long from, long to, Collection<RowStatus> statuses) {
        return reads.rowsBetween(instance, from, to, statuses);
    }

    /** The same among the rows streamed from the input (see {@link OpenRow#atOffset}: not those). */
    public List<OpenRow> streamedRowsBetween(long instance, long from, long to, Collection<RowStatus> statuses) {
        return reads.streamedRowsBetween(instance, from, to, statuses);
    }

    /**
     * Rows read at their offsets ({@link OpenRow#atOffset}) in the given statuses, after row
     * {@code afterRow} in row order, {@code limit} at most: of {@code target}, or of every target if null.
     */
    public List<OpenRow> rowsAtOffsets(long instance, @Nullable String target, long afterRow, int limit,
            Collection<RowStatus> statuses) {
        return reads.rowsAtOffsets(instance, target, afterRow, limit, statuses);
    }

    /** The targets of the rows read at their offsets in the given statuses. */
    public List<String> targetsAtOffsets(long instance, Collection<RowStatus> statuses) {
        return reads.targetsAtOffsets(instance, statuses);
    }

    /** Whether any row in the given statuses is to be streamed from the input. */
    public boolean anyStreamed(long instance, Collection<RowStatus> statuses) {
        return reads.anyStreamed(instance, statuses);
    }

    /**
     * Write-ahead: records that the row's import is about to be sent. Only a row that is
     * PENDING (or, on purpose, IN_DOUBT) moves, and only together with the claim on its
     * token and target resource, in one transaction: no other row of any run can then send
     * the same token to the same resource. The same statement checks this run's fencing
     * token against the lock table. The send leaves once {@link #writeAheadDurable} said true.
     *
     * A resource's send slot held by a SUBMITTING row is free once {@code slotLeaseMillis}
     * have passed since it was taken (the request's lifetime).
     *
     * @throws LockLostException when another run took the lock over: nothing may be sent
     */
    public Submission markSubmitting(long instance, long row, long sentAt, boolean fromInDoubt, long slotLeaseMillis) {
        return transitions.markSubmitting(instance, row, sentAt, fromInDoubt, slotLeaseMillis);
    }

    /**
     * Returns once the write-ahead of the row's send {@code attempt} is where {@code kill -9}
     * cannot take it (H2's file), whether it still is there: false when the repository lost
     * it before (a database reopened under the run); the send must then not leave. A
     * checkpoint that began after several threads' write-aheads covers them all
     * ({@code checkpointed}: {@link #makeWriteAheadsDurable} ran after this one's commit, and only
     * the check is left); on PostgreSQL the commit was durable, and nothing more is done.
     */
    public boolean writeAheadDurable(long instance, long row, int attempt, boolean checkpointed) {
        return transitions.durable(instance, row, attempt, checkpointed);
    }

    /** Puts every write-ahead committed so far in H2's file; false, doing nothing, where commits are durable when made. */
    public boolean makeWriteAheadsDurable() {
        return transitions.checkpoint();
    }

    /**
     * Reads the lock's generation again.
     *
     * @throws LockLostException when another run took the lock over: nothing more may be sent
     */
    public void checkFence() {
        transitions.checkFence();
    }

    /** The row that now holds the claim this row needs; null when none does (the row may be sent). */
    public @Nullable ClaimHolder claimHolder(long instance, long row) {
        return claims.holderFor(instance, row);
    }

    /** Releases a finished row's claim, so that the same token may be imported again (import.reimport). */
    public void releaseClaim(long instance, long row) {
        claims.release(instance, row);
    }

    /**
     * The import was not performed (throttled, refused before work): the row may be sent
     * again. Only a row this run marked SUBMITTING moves back; a row whose project is
     * known never does; only the {@code attempt}-th send (null: whichever).
     */
    public boolean backToPending(long instance, long row, @Nullable Integer attempt, String code, String message) {
        return transitions.backToPending(instance, row, attempt, code, message);
    }

    /**
     * A row still PENDING was not sent this time (its export failed before it was marked):
     * the reason is recorded, the row stays PENDING.
     */
    public boolean notSent(long instance, long row, String code, String message) {
        return transitions.notSent(instance, row, code, message);
    }

    /**
     * A source row's export, answered just before the row was marked SUBMITTING: its counts
     * and its token's fingerprint. Only a SUBMITTING row takes them.
     */
    public boolean markExported(long instance, long row, ExportedCounts counts, String tokenFp, long at) {
        return records.markExported(instance, row, counts, tokenFp, at);
    }

    /** The counts the row's last export announced; null when it was never exported (a token row). */
    public @Nullable ExportedCounts exportedCounts(long instance, long row) {
        return records.exportedCounts(instance, row);
    }

    /**
     * Records a SUCCEEDED row's verification (null: some count could not be read) and, when
     * there is something to say, what was found in its message.
     */
    public boolean markVerified(long instance, long row, @Nullable Boolean matches, @Nullable String message) {
        return records.markVerified(instance, row, matches, message);
    }

    /**
     * The service made the project: from now on the row is awaited, never resent. Only for the
     * {@code attempt}-th send (null: whichever): the answer of a send is never recorded over a
     * later send of the row.
     */
    public boolean markImporting(long instance, long row, @Nullable Integer attempt, String projectId,
            long answeredAt) {
        return transitions.markImporting(instance, row, attempt, projectId, answeredAt);
    }

    /**
     * The answer to the {@code attempt}-th send (null: whichever) was lost: the row stays
     * SUBMITTING until reconciled.
     */
    public boolean markAnswerLost(long instance, long row, @Nullable Integer attempt, long lostAt, String code,
            String message) {
        return transitions.markAnswerLost(instance, row, attempt, lostAt, code, message);
    }

    /**
     * A project still Importing past import.give-up-after: the row ends FAILED, but keeps its
     * claim, since the project may yet succeed and the token must not be sent there again.
     */
    public boolean giveUp(long instance, long row, String projectId, String message) {
        return transitions.giveUp(instance, row, projectId, message);
    }

    /** The row's lost answer is still being decided: its resource's send slot is held for another lease. */
    public void renewSlot(long instance, long row, long now) {
        slots.renew(instance, row, now);
    }

    /** A PENDING row whose key the service refused (its listing): REJECTED with that refusal, never sent. */
    public boolean refusedUnsent(long instance, long row, String code, String message) {
        return transitions.refusedUnsent(instance, row, code, message);
    }

    /** A PENDING row whose token another row imported into a project given up as stuck: FAILED, not sent. */
    public boolean stuckElsewhere(long instance, long row, String projectId, String message) {
        return transitions.stuckElsewhere(instance, row, projectId, message);
    }

    /**
     * Records a row's outcome if the row is in a state that leads to it; false when it was
     * not (a late writer: another run settled the row meanwhile); when the row leaves
     * SUBMITTING, for the {@code attempt}-th send only (null: whichever).
     */
    public boolean finish(long instance, long row, @Nullable Integer attempt, RowStatus status,
            @Nullable String projectId, @Nullable String code, @Nullable String message, @Nullable String candidates) {
        return transitions.finish(instance, row, attempt, status, projectId, code, message, candidates);
    }

    /**
     * Which of these project ids some row of any run already owns, through any target of
     * any resource (project ids are unique across the service).
     */
    public Set<String> claimed(Collection<String> projectIds) {
        return reads.claimed(projectIds);
    }

    // ---- report

    public Map<RowStatus, Long> countsByStatus(long instance) {
        return reads.countsByStatus(instance);
    }

    /** Streams every row's outcome in row order, one at a time. */
    public void forEachOutcome(long instance, Consumer<Outcome> consumer) {
        reads.forEachOutcome(instance, consumer);
    }

    /** The first rows that need attention, for the summary. */
    public List<Outcome> firstNotFine(long instance, int limit) {
        return reads.firstNotFine(instance, limit);
    }
}
