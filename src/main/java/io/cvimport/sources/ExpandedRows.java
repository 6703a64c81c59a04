package io.cvimport.sources;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.cvimport.ledger.LedgerRow;
import io.cvimport.ledger.RowStatus;

/**
 * The ledger as the expansion sees it: the rows naming a whole source resource (EXPANDED),
 * the rows their projects were given (numbered after every other row of the ledger, with
 * the input's row and the project's place), and what is still to be imported to a resource.
 */
@Component
public class ExpandedRows {

    private static final int MESSAGE_LENGTH = 1000;

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate transaction;

    public ExpandedRows(JdbcTemplate jdbcTemplate, PlatformTransactionManager transactionManager) {
        this.jdbc = new NamedParameterJdbcTemplate(jdbcTemplate);
        this.transaction = new TransactionTemplate(transactionManager);
    }

    /** A row naming a whole source resource, as the load step recorded it. */
    record Parent(long rowNo, long inputOffset, String targetFp, String region, String sourceFp,
            @Nullable String extras) {
    }

    /** A project's row: its ledger row and its place among its resource's projects. */
    record Child(LedgerRow row, int place) {
    }

    List<Parent> parents(long instance) {
        return jdbc.query("""
                SELECT row_no, input_offset, target_fp, region, token_fp, extras FROM import_ledger
                WHERE job_instance_id = :instance AND status = 'EXPANDED' ORDER BY row_no
                """, new MapSqlParameterSource("instance", instance), (rs, i) -> new Parent(rs.getLong("row_no"),
                rs.getLong("input_offset"), rs.getString("target_fp"), rs.getString("region"),
                rs.getString("token_fp"), rs.getString("extras")));
    }

    /** The projects already given a row for this input row: their places, by project id. */
    Map<String, Integer> places(long instance, long inputRow) {
        Map<String, Integer> places = new HashMap<>();
        jdbc.query("""
                SELECT source_project, place FROM import_ledger WHERE job_instance_id = :instance
                AND input_row = :row
                """, new MapSqlParameterSource("instance", instance).addValue("row", inputRow),
                rs -> {
                    places.put(rs.getString("source_project"), rs.getInt("place"));
                });
        return places;
    }

    /** The number the next row would take: after every row of the ledger. */
    long nextRowNo(long instance) {
        Long last = jdbc.queryForObject("SELECT MAX(row_no) FROM import_ledger WHERE job_instance_id = :instance",
                new MapSqlParameterSource("instance", instance), Long.class);
        return last == null ? 1 : last + 1;
    }

    /**
     * Rows of this instance that would still make a project on this resource (the targets
     * linked to it, or the target itself): PENDING and SUBMITTING.
     */
    int stillToImport(long instance, String resource) {
        Integer count = jdbc.queryForObject("""
                SELECT COUNT(*) FROM import_ledger l LEFT JOIN target_resource r ON r.target_fp = l.target_fp
                WHERE l.job_instance_id = :instance AND l.status IN ('PENDING', 'SUBMITTING')
                AND COALESCE(r.resource_id, l.target_fp) = :resource
                """, new MapSqlParameterSource("instance", instance).addValue("resource", resource), Integer.class);
        return count == null ? 0 : count;
    }

    /** Records the new projects' rows and the parent's word on its resource, in one transaction. */
    void expanded(long instance, Parent parent, List<Child> children, String message) {
        long now = System.currentTimeMillis();
        MapSqlParameterSource[] batch = children.stream().map(child -> new MapSqlParameterSource()
                .addValue("instance", instance).addValue("row", child.row().rowNo())
                .addValue("status", child.row().status().name()).addValue("region", child.row().region())
                .addValue("target", child.row().targetFp()).addValue("token", child.row().tokenFp())
                .addValue("project", child.row().projectId()).addValue("code", child.row().errorCode())
                .addValue("message", clip(child.row().message())).addValue("extras", child.row().extras())
                .addValue("offset", child.row().inputOffset()).addValue("sourceRegion", child.row().sourceRegion())
                .addValue("sourceProject", child.row().sourceProject()).addValue("inputRow", parent.rowNo())
                .addValue("place", child.place()).addValue("now", now)).toArray(MapSqlParameterSource[]::new);
        transaction.executeWithoutResult(status -> {
            jdbc.batchUpdate("""
                    INSERT INTO import_ledger (job_instance_id, row_no, status, region, target_fp, token_fp,
                                               project_id, error_code, message, extras, input_offset, source_region,
                                               source_project, input_row, place, updated_at)
                    VALUES (:instance, :row, :status, :region, :target, :token, :project, :code, :message, :extras,
                            :offset, :sourceRegion, :sourceProject, :inputRow, :place, :now)
                    """, batch);
            describe(instance, parent.rowNo(), message, now);
        });
    }

    /** The source refused the listing of its resource: the row ends REJECTED with its word. */
    void refused(long instance, long rowNo, String code, String message) {
        jdbc.update("""
                UPDATE import_ledger SET status = 'REJECTED', error_code = :code, message = :message, updated_at = :now
                WHERE job_instance_id = :instance AND row_no = :row AND status = 'EXPANDED'
                """, new MapSqlParameterSource("instance", instance).addValue("row", rowNo).addValue("code", code)
                .addValue("message", clip(message)).addValue("now", System.currentTimeMillis()));
    }

    /** How many rows each whole source resource of this instance was given, by input row. */
    Map<Long, Long> projectRows(long instance) {
        Map<Long, Long> rows = new HashMap<>();
        jdbc.query("""
                SELECT input_row, COUNT(*) AS n FROM import_ledger WHERE job_instance_id = :instance
                AND input_row IS NOT NULL GROUP BY input_row
                """, new MapSqlParameterSource("instance", instance), rs -> {
                    rows.put(rs.getLong("input_row"), rs.getLong("n"));
                });
        return rows;
    }

    /** How many rows of this instance name a whole source resource (EXPANDED). */
    public long wholeResources(long instance) {
        Long count = jdbc.queryForObject("""
                SELECT COUNT(*) FROM import_ledger WHERE job_instance_id = :instance AND status = :status
                """, new MapSqlParameterSource("instance", instance).addValue("status", RowStatus.EXPANDED.name()),
                Long.class);
        return count == null ? 0 : count;
    }

    private void describe(long instance, long rowNo, String message, long now) {
        jdbc.update("""
                UPDATE import_ledger SET message = :message, updated_at = :now
                WHERE job_instance_id = :instance AND row_no = :row AND status = 'EXPANDED'
                """, new MapSqlParameterSource("instance", instance).addValue("row", rowNo)
                .addValue("message", clip(message)).addValue("now", now));
    }

    private static @Nullable String clip(@Nullable String text) {
        return text == null || text.length() <= MESSAGE_LENGTH ? text : text.substring(0, MESSAGE_LENGTH);
    }
}
