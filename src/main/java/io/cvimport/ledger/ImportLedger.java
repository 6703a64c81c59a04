package io.cvimport.ledger;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The ledger table. Load-step writes join the chunk's transaction (so a chunk's rows
 * commit with the reader's position); the import engine's writes each commit on their
 * own, before the call they announce leaves or right after its answer arrives.
 */
@Component
public class ImportLedger {

    /** Bounds IN lists so that statements stay small whatever the input's size. */
    private static final int IN_LIST = 500;
    private static final int MESSAGE_LENGTH = 1000;
    /** A row's outcome with the resource its target belongs to. */
    static final String OUTCOMES = """
            SELECT l.*, COALESCE(r.resource_id, l.target_fp) AS resource FROM import_ledger l
            LEFT JOIN target_resource r ON r.target_fp = l.target_fp
            """;

    private static final Set<RowStatus> SENT = EnumSet.of(RowStatus.SUBMITTING);

    private final NamedParameterJdbcTemplate jdbc;
    private final ImportClaims claims;
    private final TransactionTemplate transaction;
    private final Fence fence;

    public ImportLedger(JdbcTemplate jdbcTemplate, ImportClaims claims, PlatformTransactionManager transactionManager,
            Fence fence) {
        this.jdbc = new NamedParameterJdbcTemplate(jdbcTemplate);
        this.claims = claims;
        // Nested: a claim that cannot be taken rolls back to its savepoint only, whether the
        // call runs alone or inside a transaction of the caller's (the outage ride-through's).
        this.transaction = new TransactionTemplate(transactionManager);
        this.transaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.fence = fence;
    }

    // ---- load step

    public void insert(long instance, List<LedgerRow> rows) {
        long now = System.currentTimeMillis();
        MapSqlParameterSource[] batch = rows.stream().map(row -> new MapSqlParameterSource()
                .addValue("instance", instance)
                .addValue("row", row.rowNo())
                .addValue("status", row.status().name())
                .addValue("region", row.region())
                .addValue("target", row.targetFp())
                .addValue("token", row.tokenFp())
                .addValue("project", row.projectId())
                .addValue("code", row.errorCode())
                .addValue("message", clip(row.message()))
                .addValue("extras", row.extras())
                .addValue("now", now)).toArray(MapSqlParameterSource[]::new);
        jdbc.batchUpdate("""
                INSERT INTO import_ledger (job_instance_id, row_no, status, region, target_fp, token_fp, project_id,
                                           error_code, message, extras, updated_at)
                VALUES (:instance, :row, :status, :region, :target, :token, :project, :code, :message, :extras, :now)
                """, batch);
    }

    /**
     * The first row of this instance that holds each token-resource pair, for DUPLICATE
     * (pairs name resources, not targets, in their second part).
     */
    public Map<TokenTarget, Long> firstRows(long instance, Collection<TokenTarget> pairs) {
        Map<TokenTarget, Long> first = new HashMap<>();
        forTokens(pairs, (tokens, wanted) -> jdbc.query("""
                SELECT l.token_fp, COALESCE(r.resource_id, l.target_fp) AS resource, MIN(l.row_no) AS first_row
                FROM import_ledger l LEFT JOIN target_resource r ON r.target_fp = l.target_fp
                WHERE l.job_instance_id = :instance AND l.token_fp IN (:tokens)
                GROUP BY l.token_fp, COALESCE(r.resource_id, l.target_fp)
                """, new MapSqlParameterSource("instance", instance).addValue("tokens", tokens), rs -> {
            TokenTarget pair = new TokenTarget(rs.getString("token_fp"), rs.getString("resource"));
            if (wanted.contains(pair)) {
                first.put(pair, rs.getLong("first_row"));
            }
        }));
        return first;
    }

    /**
     * Projects that other job instances made for each token-resource pair: a token
     * imported by any earlier run is not imported again. Imports still on their way are
     * not outcomes yet: their claims hold the later rows back when those are sent.
     */
    public Map<TokenTarget, Outcome> succeededElsewhere(long instance, Collection<TokenTarget> pairs) {
        Map<TokenTarget, Outcome> held = new HashMap<>();
        forTokens(pairs, (tokens, wanted) -> jdbc.query(OUTCOMES + """
                WHERE l.token_fp IN (:tokens) AND l.job_instance_id <> :instance AND l.status = 'SUCCEEDED'
                ORDER BY l.job_instance_id, l.row_no
                """, new MapSqlParameterSource("instance", instance).addValue("tokens", tokens), rs -> {
            Outcome outcome = outcome(rs);
            TokenTarget pair = new TokenTarget(outcome.tokenFp(), String.valueOf(outcome.resource()));
            if (wanted.contains(pair)) {
                held.putIfAbsent(pair, outcome);
            }
        }));
        return held;
    }

    // ---- import step

    public long count(long instance, Collection<RowStatus> statuses) {
        Long count = jdbc.queryForObject("""
                SELECT COUNT(*) FROM import_ledger WHERE job_instance_id = :instance AND status IN (:statuses)
                """, new MapSqlParameterSource("instance", instance).addValue("statuses", names(statuses)), Long.class);
        return count == null ? 0 : count;
    }

    /** Rows in the given statuses among rows {@code from..to}, in row order. */
    public List<OpenRow> rowsBetween(long instance, long from, long to, Collection<RowStatus> statuses) {
        return jdbc.query("""
                SELECT row_no, status, target_fp, project_id, sent_at, answered_at, attempts, token_fp FROM import_ledger
                WHERE job_instance_id = :instance AND row_no BETWEEN :from AND :to AND status IN (:statuses)
                ORDER BY row_no
                """, new MapSqlParameterSource("instance", instance).addValue("from", from).addValue("to", to)
                .addValue("statuses", names(statuses)), (rs, i) -> new OpenRow(rs.getLong("row_no"),
                RowStatus.valueOf(rs.getString("status")), rs.getString("target_fp"), rs.getString("project_id"),
                nullableLong(rs, "sent_at"), nullableLong(rs, "answered_at"), rs.getInt("attempts"),
                rs.getString("token_fp")));
    }

    /**
     * Write-ahead: records that the row's import is about to be sent. Only a row that is
     * PENDING (or, on purpose, IN_DOUBT) moves, and only together with the claim on its
     * token and target resource, in one transaction: no other row of any run can then send
     * the same token to the same resource. The same statement checks this run's fencing
     * token against the lock table.
     *
     * @throws LockLostException when another run took the lock over: nothing may be sent
     */
    public Submission markSubmitting(long instance, long row, long sentAt, boolean fromInDoubt) {
        Fence.Token token = fence.token();
        if (token != null && fence.isLost()) {
            throw new LockLostException(token);
        }
        for (int attempt = 0; attempt < 3; attempt++) {
            Boolean moved = transaction.execute(status -> {
                if (!submitting(instance, row, sentAt, fromInDoubt, token)) {
                    return null;
                }
                // The claim: the same transaction, so the row is SUBMITTING if and only if it holds it.
                if (!claims.take(instance, row, sentAt)) {
                    status.setRollbackOnly();
                    return false;
                }
                return true;
            });
            if (moved == null) {
                return Submission.NOT_PENDING;
            }
            if (moved) {
                return Submission.SENDABLE;
            }
            ClaimHolder holder = claims.holderFor(instance, row);
            if (holder != null) {
                return new Submission(false, holder);
            }
            // Released between the two reads: try again.
        }
        return Submission.NOT_PENDING;
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
        if (token == null) {
            return jdbc.update(move, parameters) == 1;
        }
        parameters.addValue("lock", token.lockKey()).addValue("generation", token.generation());
        if (jdbc.update(move + " AND EXISTS (SELECT 1 FROM run_lock WHERE lock_key = :lock"
                + " AND generation = :generation)", parameters) == 1) {
            return true;
        }
        checkFence(token);
        return false;
    }

    /**
     * Reads the lock's generation again.
     *
     * @throws LockLostException when another run took the lock over: nothing more may be sent
     */
    public void checkFence() {
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
     * known never does.
     */
    public boolean backToPending(long instance, long row, String code, String message) {
        return update(instance, row, SENT, RowStatus.PENDING, null, code, message, null);
    }

    /** The service made the project: from now on the row is awaited, never resent. */
    public boolean markImporting(long instance, long row, String projectId, long answeredAt) {
        return jdbc.update("""
                UPDATE import_ledger SET status = 'IMPORTING', project_id = :project, answered_at = :answered,
                       error_code = NULL, message = NULL, updated_at = :answered
                WHERE job_instance_id = :instance AND row_no = :row AND status = 'SUBMITTING'
                """, key(instance, row).addValue("project", projectId).addValue("answered", answeredAt)) == 1;
    }

    /** The answer to a sent import was lost: the row stays SUBMITTING until reconciled. */
    public boolean markAnswerLost(long instance, long row, long lostAt, String code, String message) {
        return jdbc.update("""
                UPDATE import_ledger SET answered_at = :lost, error_code = :code, message = :message, updated_at = :lost
                WHERE job_instance_id = :instance AND row_no = :row AND status = 'SUBMITTING'
                """, key(instance, row).addValue("lost", lostAt).addValue("code", code)
                .addValue("message", clip(message))) == 1;
    }

    /**
     * A project still Importing past import.give-up-after: the row ends FAILED, but keeps its
     * claim, since the project may yet succeed and the token must not be sent there again.
     */
    public boolean giveUp(long instance, long row, String projectId, String message) {
        return write(instance, row, RowStatus.FAILED.reachedFrom(), RowStatus.FAILED, projectId, "StuckImporting",
                message, null);
    }

    /**
     * Records a row's outcome if the row is in a state that leads to it; false when it was
     * not (a late writer: another run settled the row meanwhile).
     */
    public boolean finish(long instance, long row, RowStatus status, @Nullable String projectId,
            @Nullable String code, @Nullable String message, @Nullable String candidates) {
        return update(instance, row, status.reachedFrom(), status, projectId, code, message, candidates);
    }

    private boolean update(long instance, long row, Set<RowStatus> from, RowStatus status,
            @Nullable String projectId, @Nullable String code, @Nullable String message,
            @Nullable String candidates) {
        if (!RowStatus.HOLDS_PROJECT.contains(status)) {
            // Not performed, refused or failed: the claim goes with the state, in one transaction.
            Boolean moved = transaction.execute(tx -> {
                boolean done = write(instance, row, from, status, projectId, code, message, candidates);
                if (done) {
                    claims.release(instance, row);
                }
                return done;
            });
            return Boolean.TRUE.equals(moved);
        }
        return write(instance, row, from, status, projectId, code, message, candidates);
    }

    private boolean write(long instance, long row, Set<RowStatus> from, RowStatus status,
            @Nullable String projectId, @Nullable String code, @Nullable String message,
            @Nullable String candidates) {
        return jdbc.update("""
                UPDATE import_ledger SET status = :status, project_id = COALESCE(:project, project_id),
                       error_code = :code, message = :message, candidates = :candidates, updated_at = :now
                WHERE job_instance_id = :instance AND row_no = :row AND status IN (:from)
                """, key(instance, row).addValue("status", status.name()).addValue("project", projectId)
                .addValue("code", code).addValue("message", clip(message)).addValue("candidates", candidates)
                .addValue("now", System.currentTimeMillis()).addValue("from", names(from))) == 1;
    }

    /**
     * Which of these project ids some row of any run already owns, through any target of
     * any resource (project ids are unique across the service).
     */
    public Set<String> claimed(Collection<String> projectIds) {
        Set<String> claimed = new HashSet<>();
        List<String> ids = List.copyOf(projectIds);
        for (int i = 0; i < ids.size(); i += IN_LIST) {
            claimed.addAll(jdbc.queryForList("""
                    SELECT project_id FROM import_ledger WHERE project_id IN (:ids)
                    """, new MapSqlParameterSource("ids", ids.subList(i, Math.min(ids.size(), i + IN_LIST))),
                    String.class));
        }
        return claimed;
    }

    // ---- report

    public Map<RowStatus, Long> countsByStatus(long instance) {
        Map<RowStatus, Long> counts = new EnumMap<>(RowStatus.class);
        jdbc.query("SELECT status, COUNT(*) AS n FROM import_ledger WHERE job_instance_id = :instance GROUP BY status",
                new MapSqlParameterSource("instance", instance),
                rs -> {
                    counts.put(RowStatus.valueOf(rs.getString("status")), rs.getLong("n"));
                });
        return counts;
    }

    /** Streams every row's outcome in row order, one at a time. */
    public void forEachOutcome(long instance, Consumer<Outcome> consumer) {
        jdbc.query(OUTCOMES + "WHERE l.job_instance_id = :instance ORDER BY l.row_no",
                new MapSqlParameterSource("instance", instance), rs -> {
                    consumer.accept(outcome(rs));
                });
    }

    /** The first rows that need attention, for the summary. */
    public List<Outcome> firstNotFine(long instance, int limit) {
        return jdbc.query(OUTCOMES + """
                WHERE l.job_instance_id = :instance AND l.status NOT IN (:fine)
                ORDER BY l.row_no FETCH FIRST %d ROWS ONLY
                """.formatted(limit), new MapSqlParameterSource("instance", instance)
                .addValue("fine", names(RowStatus.FINE)), (rs, i) -> outcome(rs));
    }

    static Outcome outcome(ResultSet rs) throws SQLException {
        return new Outcome(rs.getLong("row_no"), RowStatus.valueOf(rs.getString("status")), rs.getString("region"),
                rs.getString("target_fp"), rs.getString("token_fp"), rs.getString("project_id"),
                rs.getString("error_code"), rs.getString("message"), rs.getString("candidates"),
                rs.getString("extras"), rs.getString("resource"));
    }

    private void forTokens(Collection<TokenTarget> pairs, TokenQuery query) {
        Set<TokenTarget> wanted = Set.copyOf(pairs);
        List<String> tokens = pairs.stream().map(TokenTarget::tokenFp).distinct().toList();
        for (int i = 0; i < tokens.size(); i += IN_LIST) {
            query.run(tokens.subList(i, Math.min(tokens.size(), i + IN_LIST)), wanted);
        }
    }

    @FunctionalInterface
    private interface TokenQuery {
        void run(List<String> tokens, Set<TokenTarget> wanted);
    }

    private static MapSqlParameterSource key(long instance, long row) {
        return new MapSqlParameterSource("instance", instance).addValue("row", row);
    }

    static List<String> names(Collection<RowStatus> statuses) {
        return statuses.stream().map(Enum::name).collect(Collectors.toList());
    }

    private static @Nullable Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    static @Nullable String clip(@Nullable String text) {
        return text == null || text.length() <= MESSAGE_LENGTH ? text : text.substring(0, MESSAGE_LENGTH - 3) + "...";
    }
}
