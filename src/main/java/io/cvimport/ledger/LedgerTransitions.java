package io.cvimport.ledger;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The import step's guarded writes: a row moves only from the states that lead to its
 * new one, its claim moves with it in one transaction, and every write checks the run's
 * fencing token in its own statement: a run (or a worker) whose lock was taken over or
 * revoked neither announces a send nor records what a send of its answered, so a frozen
 * holder that thaws cannot move back a row that its successor has sent meanwhile. Each
 * commits on its own.
 */
final class LedgerTransitions {

    private static final int MESSAGE_LENGTH = 1000;
    private static final Set<RowStatus> SENT = EnumSet.of(RowStatus.SUBMITTING);
    /** Appended to a guarded write: the run's lock is still at the generation it took. */
    private static final String FENCED = " AND EXISTS (SELECT 1 FROM run_lock WHERE lock_key = :lock"
            + " AND generation = :generation)";

    /** What the write-ahead of one send did, inside its transaction. */
    private enum Move {
        NOT_PENDING, CLAIM_HELD, SLOT_BUSY, MOVED
    }

    /** A write-ahead's move, and the row's send count when it moved. */
    private record Written(Move move, int attempts) {

        Submission submission() {
            return move == Move.MOVED ? Submission.sendable(attempts)
                    : move == Move.SLOT_BUSY ? Submission.SLOT_BUSY : Submission.NOT_PENDING;
        }
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final ImportClaims claims;
    private final ImportSlots slots;
    private final TransactionTemplate transaction;
    private final Fence fence;
    private final WriteAheadFlush flush;

    /** @param transaction nested: a claim that cannot be taken rolls back to its savepoint only */
    LedgerTransitions(NamedParameterJdbcTemplate jdbc, ImportClaims claims, ImportSlots slots,
            TransactionTemplate transaction, Fence fence) {
        this.jdbc = jdbc;
        this.flush = new WriteAheadFlush(jdbc.getJdbcTemplate());
        this.claims = claims;
        this.slots = slots;
        this.transaction = transaction;
        this.fence = fence;
    }

    Submission markSubmitting(long instance, long row, long sentAt, boolean fromInDoubt, long slotLeaseMillis) {
        Fence.Token token = fence.token();
        if (token != null && fence.isLost()) {
            throw new LockLostException(token);
        }
        for (int attempt = 0; attempt < 3; attempt++) {
            Written written = Objects.requireNonNull(transaction.execute(
                    status -> writeAhead(instance, row, sentAt, fromInDoubt, slotLeaseMillis, token, status)));
            if (written.move() != Move.CLAIM_HELD) {
                return written.submission();
            }
            ClaimHolder holder = claims.holderFor(instance, row);
            if (holder != null) {
                return new Submission(false, holder);
            }
            // Released between the two reads: try again.
        }
        return Submission.NOT_PENDING;
    }

    /**
     * Returns once the write-ahead of the row's send {@code attempt}, committed before this
     * call, is durable; false when the repository lost it before (H2 only: a database reopened
     * under the run). {@code checkpointed}: a checkpoint began after its commit and ended. Where
     * a commit is durable when made (PostgreSQL) nothing is read.
     */
    boolean durable(long instance, long row, int attempt, boolean checkpointed) {
        boolean beforeFile = checkpointed ? flush.holdsCommitsBeforeFile() : flush.durable();
        return !beforeFile || stillSubmitting(instance, row, attempt);
    }

    /** Every commit made so far in the file (H2); false where commits are durable when made. */
    boolean checkpoint() {
        return flush.durable();
    }

    /** Whether the row is SUBMITTING for this send: its write-ahead was not lost. */
    private boolean stillSubmitting(long instance, long row, int attempt) {
        Integer found = jdbc.queryForObject("""
                SELECT COUNT(*) FROM import_ledger WHERE job_instance_id = :instance AND row_no = :row
                   AND status = 'SUBMITTING' AND attempts = :attempt
                """, key(instance, row).addValue("attempt", attempt), Integer.class);
        return found != null && found == 1;
    }

    /** The checkpoints that made write-aheads durable so far (none but on H2). */
    long checkpoints() {
        return flush.checkpoints();
    }

    /** The write-ahead inside its transaction: the row, its claim and its resource's send slot, or none of them. */
    private Written writeAhead(long instance, long row, long sentAt, boolean fromInDoubt, long slotLeaseMillis,
            Fence.@Nullable Token token, TransactionStatus status) {
        if (!submitting(instance, row, sentAt, fromInDoubt, token)) {
            return new Written(Move.NOT_PENDING, 0);
        }
        SendKey send = SendKey.of(jdbc, instance, row);
        // The claim: the same transaction, so the row is SUBMITTING if and only if it holds it.
        if (!claims.take(send, sentAt)) {
            status.setRollbackOnly();
            return new Written(Move.CLAIM_HELD, 0);
        }
        // And the resource's send slot: no other import of unknown outcome is there.
        if (!slots.take(send, sentAt, slotLeaseMillis)) {
            status.setRollbackOnly();
            return new Written(Move.SLOT_BUSY, 0);
        }
        return new Written(Move.MOVED, send.attempts());
    }

    /** Moves the row to SUBMITTING if it is still pending and (with a fence) this run still holds the lock. */
    private boolean submitting(long instance, long row, long sentAt, boolean fromInDoubt, Fence.@Nullable Token token) {
        MapSqlParameterSource parameters = key(instance, row).addValue("sent", sentAt)
                .addValue("from", fromInDoubt ? List.of("PENDING", "IN_DOUBT") : List.of("PENDING"));
        String move = """
                UPDATE import_ledger SET status = 'SUBMITTING', sent_at = :sent, answered_at = NULL,
                       attempts = attempts + 1, updated_at = :sent
                WHERE job_instance_id = :instance AND row_no = :row AND status IN (:from)
                """;
        if (fenced(move, parameters, token) == 1) {
            return true;
        }
        if (token != null) {
            checkFence(token);
        }
        return false;
    }

    /**
     * The condition that makes a write record the answer of one send only: a writer whose row
     * was sent again since (by another engine) moves nothing. None when the writer does not
     * know the send (a row an earlier run left SUBMITTING: the fence alone guards it then).
     */
    private static String sameSend(@Nullable Integer attempt, MapSqlParameterSource parameters) {
        if (attempt == null) {
            return "";
        }
        parameters.addValue("attempt", attempt);
        return " AND attempts = :attempt";
    }

    /** Runs the guarded write with the fence's condition, when the run holds a lock. */
    private int fenced(String update, MapSqlParameterSource parameters, Fence.@Nullable Token token) {
        if (token == null) {
            return jdbc.update(update, parameters);
        }
        return jdbc.update(update + FENCED, parameters.addValue("lock", token.lockKey())
                .addValue("generation", token.generation()));
    }

    void checkFence() {
        Fence.Token token = fence.token();
        if (token != null) {
            checkFence(token);
        }
    }

    private void checkFence(Fence.Token token) {
        Long current = jdbc.queryForObject("SELECT COUNT(*) FROM run_lock WHERE lock_key = :lock"
                + " AND generation = :generation", new MapSqlParameterSource("lock", token.lockKey())
                .addValue("generation", token.generation()), Long.class);
        if (fence.isLost() || current == null || current == 0) {
            fence.lose();
            throw new LockLostException(token);
        }
    }

    boolean backToPending(long instance, long row, @Nullable Integer attempt, String code, String message) {
        return update(instance, row, attempt, SENT, RowStatus.PENDING, null, code, message, null);
    }

    /** A PENDING row stays so: why it was not sent this time (its export failed), for the operator. */
    boolean notSent(long instance, long row, String code, String message) {
        return write(instance, row, null, EnumSet.of(RowStatus.PENDING), RowStatus.PENDING, null, code, message, null);
    }

    boolean markImporting(long instance, long row, @Nullable Integer attempt, String projectId, long answeredAt) {
        MapSqlParameterSource parameters = key(instance, row).addValue("project", projectId)
                .addValue("answered", answeredAt);
        return released(instance, row, fenced("""
                UPDATE import_ledger SET status = 'IMPORTING', project_id = :project, answered_at = :answered,
                       error_code = NULL, message = NULL, updated_at = :answered
                WHERE job_instance_id = :instance AND row_no = :row AND status = 'SUBMITTING'
                """.strip() + sameSend(attempt, parameters), parameters, fence.token()) == 1);
    }

    /**
     * A row moved out of SUBMITTING gives its resource's send slot back. Not in the move's own
     * transaction: a slot whose holder is no longer SUBMITTING is free anyway (see ImportSlots).
     */
    private boolean released(long instance, long row, boolean moved) {
        if (moved) {
            slots.release(instance, row);
        }
        return moved;
    }

    boolean markAnswerLost(long instance, long row, @Nullable Integer attempt, long lostAt, String code,
            String message) {
        MapSqlParameterSource parameters = key(instance, row).addValue("lost", lostAt).addValue("code", code)
                .addValue("message", clip(message));
        return fenced("""
                UPDATE import_ledger SET answered_at = :lost, error_code = :code, message = :message, updated_at = :lost
                WHERE job_instance_id = :instance AND row_no = :row AND status = 'SUBMITTING'
                """.strip() + sameSend(attempt, parameters), parameters, fence.token()) == 1;
    }

    /** FAILED without releasing the claim: the project may yet succeed. */
    boolean giveUp(long instance, long row, String projectId, String message) {
        return write(instance, row, null, RowStatus.FAILED.reachedFrom(), RowStatus.FAILED, projectId, "StuckImporting",
                message, null);
    }

    /** A PENDING row (which holds no claim) ends REJECTED with its key's refusal, unsent. */
    boolean refusedUnsent(long instance, long row, String code, String message) {
        return write(instance, row, null, EnumSet.of(RowStatus.PENDING), RowStatus.REJECTED, null, code, message, null);
    }

    /** A PENDING row (which holds no claim) ends FAILED with another row's stuck project. */
    boolean stuckElsewhere(long instance, long row, String projectId, String message) {
        return write(instance, row, null, EnumSet.of(RowStatus.PENDING), RowStatus.FAILED, projectId, "StuckImporting",
                message, null);
    }

    /** @param attempt the send whose answer this is (see {@link #sameSend}); null when not known */
    boolean finish(long instance, long row, @Nullable Integer attempt, RowStatus status, @Nullable String projectId,
            @Nullable String code, @Nullable String message, @Nullable String candidates) {
        return update(instance, row, attempt, status.reachedFrom(), status, projectId, code, message, candidates);
    }

    private boolean update(long instance, long row, @Nullable Integer attempt, Set<RowStatus> from, RowStatus status,
            @Nullable String projectId, @Nullable String code, @Nullable String message,
            @Nullable String candidates) {
        if (!RowStatus.HOLDS_PROJECT.contains(status)) {
            // Not performed, refused or failed: the claim goes with the state, in one transaction.
            Boolean moved = transaction.execute(tx -> {
                boolean done = write(instance, row, attempt, from, status, projectId, code, message, candidates);
                if (done) {
                    claims.release(instance, row);
                }
                return done;
            });
            return Boolean.TRUE.equals(moved);
        }
        return write(instance, row, attempt, from, status, projectId, code, message, candidates);
    }

    private boolean write(long instance, long row, @Nullable Integer attempt, Set<RowStatus> from, RowStatus status,
            @Nullable String projectId, @Nullable String code, @Nullable String message,
            @Nullable String candidates) {
        // An outcome of a project is only that project's: a writer awaiting another attempt's moves nothing.
        String sameProject = projectId == null ? "" : " AND (project_id IS NULL OR project_id = :project)";
        MapSqlParameterSource parameters = key(instance, row).addValue("status", status.name())
                .addValue("project", projectId).addValue("code", code).addValue("message", clip(message))
                .addValue("candidates", candidates).addValue("now", System.currentTimeMillis())
                .addValue("from", LedgerReads.names(from));
        boolean moved = fenced("""
                UPDATE import_ledger SET status = :status, project_id = COALESCE(:project, project_id),
                       error_code = :code, message = :message, candidates = :candidates, updated_at = :now
                WHERE job_instance_id = :instance AND row_no = :row AND status IN (:from)
                """.strip() + sameProject + sameSend(attempt, parameters), parameters, fence.token()) == 1;
        return from.contains(RowStatus.SUBMITTING) ? released(instance, row, moved) : moved;
    }

    private static MapSqlParameterSource key(long instance, long row) {
        return new MapSqlParameterSource("instance", instance).addValue("row", row);
    }

    static @Nullable String clip(@Nullable String text) {
        return text == null || text.length() <= MESSAGE_LENGTH ? text : text.substring(0, MESSAGE_LENGTH - 3) + "...";
    }
}
