package io.cvimport.ledger;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The ledger's way back for rows that ended without a project of their own: finding them,
 * and reopening each one only from the state it was seen in, so that two runs (or a run
 * and an operator) never reopen the same row twice.
 */
@Component
public class ClosedRows {

    private final NamedParameterJdbcTemplate jdbc;

    public ClosedRows(JdbcTemplate jdbcTemplate) {
        this.jdbc = new NamedParameterJdbcTemplate(jdbcTemplate);
    }

    /** How many rows ended REJECTED with each error code. */
    public Map<String, Long> rejectedCodes(long instance) {
        Map<String, Long> codes = new HashMap<>();
        jdbc.query("""
                SELECT error_code, COUNT(*) AS n FROM import_ledger
                WHERE job_instance_id = :instance AND status = 'REJECTED' GROUP BY error_code
                """, new MapSqlParameterSource("instance", instance),
                rs -> {
                    codes.put(String.valueOf(rs.getString("error_code")), rs.getLong("n"));
                });
        return codes;
    }

    /** Rows in these statuses among rows {@code from..to}, in row order. */
    public List<Outcome> between(long instance, long from, long to, Collection<RowStatus> statuses) {
        return jdbc.query(LedgerReads.OUTCOMES + """
                WHERE l.job_instance_id = :instance AND l.row_no BETWEEN :from AND :to AND l.status IN (:statuses)
                ORDER BY l.row_no
                """, new MapSqlParameterSource("instance", instance).addValue("from", from).addValue("to", to)
                .addValue("statuses", LedgerReads.names(statuses)), (rs, i) -> LedgerReads.outcome(rs));
    }

    public Optional<Outcome> row(long instance, long row) {
        return jdbc.query(LedgerReads.OUTCOMES + "WHERE l.job_instance_id = :instance AND l.row_no = :row",
                key(instance, row), (rs, i) -> LedgerReads.outcome(rs)).stream().findFirst();
    }

    /**
     * Makes a row PENDING again, from the state the caller saw; with a target, the row now
     * names that target (its refused key was replaced). False: the row had moved on.
     */
    public boolean reopen(long instance, long row, RowStatus from, @Nullable String targetFp, String message) {
        return jdbc.update("""
                UPDATE import_ledger SET status = 'PENDING', target_fp = COALESCE(:target, target_fp),
                       project_id = NULL, error_code = NULL, message = :message, candidates = NULL,
                       answered_at = NULL, updated_at = :now
                WHERE job_instance_id = :instance AND row_no = :row AND status = :from
                """, key(instance, row).addValue("from", from.name()).addValue("target", targetFp)
                .addValue("message", LedgerTransitions.clip(message)).addValue("now", System.currentTimeMillis())) == 1;
    }

    /** The operator chose this IN_DOUBT row's project: from now on it is awaited like any import. */
    public boolean adopt(long instance, long row, String projectId, String message) {
        long now = System.currentTimeMillis();
        return jdbc.update("""
                UPDATE import_ledger SET status = 'IMPORTING', project_id = :project, answered_at = :now,
                       error_code = NULL, message = :message, updated_at = :now
                WHERE job_instance_id = :instance AND row_no = :row AND status = 'IN_DOUBT'
                """, key(instance, row).addValue("project", projectId).addValue("message", LedgerTransitions.clip(message))
                .addValue("now", now)) == 1;
    }

    /** A row whose key is resolved for the first time (its variable was unset at load) gets its target. */
    public boolean bindTarget(long instance, long row, String targetFp) {
        return jdbc.update("""
                UPDATE import_ledger SET target_fp = :target, updated_at = :now
                WHERE job_instance_id = :instance AND row_no = :row AND status = 'PENDING' AND target_fp IS NULL
                """, key(instance, row).addValue("target", targetFp).addValue("now", System.currentTimeMillis())) == 1;
    }

    /** Closes a row from the state the caller saw (a reopened or newly bound row found to duplicate another). */
    public boolean close(long instance, long row, RowStatus from, RowStatus to, @Nullable String targetFp,
            @Nullable String projectId, String code, String message) {
        return jdbc.update("""
                UPDATE import_ledger SET status = :to, target_fp = COALESCE(:target, target_fp), project_id = :project,
                       error_code = :code, message = :message, candidates = NULL, updated_at = :now
                WHERE job_instance_id = :instance AND row_no = :row AND status = :from
                """, key(instance, row).addValue("from", from.name()).addValue("to", to.name())
                .addValue("target", targetFp).addValue("project", projectId).addValue("code", code)
                .addValue("message", LedgerTransitions.clip(message)).addValue("now", System.currentTimeMillis())) == 1;
    }

    private static MapSqlParameterSource key(long instance, long row) {
        return new MapSqlParameterSource("instance", instance).addValue("row", row);
    }
}
