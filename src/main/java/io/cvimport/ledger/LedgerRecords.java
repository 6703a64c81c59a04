package io.cvimport.ledger;

import java.sql.Types;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The ledger's writes that are not an import's transitions: the load step's rows, and what a
 * source row's export announced and its verification found ({@link ImportLedger} says when
 * each is called).
 */
final class LedgerRecords {

    private final NamedParameterJdbcTemplate jdbc;

    LedgerRecords(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void insert(long instance, List<LedgerRow> rows) {
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
                .addValue("message", LedgerTransitions.clip(row.message()))
                .addValue("extras", row.extras())
                .addValue("offset", row.inputOffset(), Types.BIGINT)
                .addValue("sourceRegion", row.sourceRegion())
                .addValue("sourceProject", row.sourceProject())
                .addValue("now", now)).toArray(MapSqlParameterSource[]::new);
        jdbc.batchUpdate("""
                INSERT INTO import_ledger (job_instance_id, row_no, status, region, target_fp, token_fp, project_id,
                                           error_code, message, extras, input_offset, source_region, source_project,
                                           updated_at)
                VALUES (:instance, :row, :status, :region, :target, :token, :project, :code, :message, :extras, :offset,
                        :sourceRegion, :sourceProject, :now)
                """, batch);
    }

    boolean markExported(long instance, long row, ExportedCounts counts, String tokenFp, long at) {
        return jdbc.update("""
                UPDATE import_ledger SET export_iterations = :iterations, export_images = :images, export_tags = :tags,
                       export_regions = :regions, export_estimate_ms = :estimate, export_token_fp = :token,
                       exports = exports + 1, updated_at = :at
                WHERE job_instance_id = :instance AND row_no = :row AND status = 'SUBMITTING'
                """, new MapSqlParameterSource("instance", instance).addValue("row", row)
                .addValue("iterations", counts.iterations()).addValue("images", counts.images())
                .addValue("tags", counts.tags()).addValue("regions", counts.regions())
                .addValue("estimate", counts.estimatedImportMillis()).addValue("token", tokenFp)
                .addValue("at", at)) == 1;
    }

    /** The counts the row's last export announced; null when it was never exported (a token row). */
    @Nullable ExportedCounts exportedCounts(long instance, long row) {
        List<ExportedCounts> counts = jdbc.query("""
                SELECT export_iterations, export_images, export_tags, export_regions, export_estimate_ms
                FROM import_ledger WHERE job_instance_id = :instance AND row_no = :row AND export_tags IS NOT NULL
                """, new MapSqlParameterSource("instance", instance).addValue("row", row),
                (rs, i) -> new ExportedCounts(rs.getInt("export_iterations"), rs.getInt("export_images"),
                        rs.getInt("export_tags"), rs.getInt("export_regions"), rs.getLong("export_estimate_ms")));
        return counts.isEmpty() ? null : counts.get(0);
    }

    boolean markVerified(long instance, long row, @Nullable Boolean matches, @Nullable String message) {
        return jdbc.update("""
                UPDATE import_ledger SET verified = :matches, message = COALESCE(:message, message)
                WHERE job_instance_id = :instance AND row_no = :row AND status = 'SUCCEEDED'
                """, new MapSqlParameterSource("instance", instance).addValue("row", row)
                .addValue("matches", matches, Types.BOOLEAN).addValue("message", LedgerTransitions.clip(message), Types.VARCHAR))
                == 1;
    }
}
