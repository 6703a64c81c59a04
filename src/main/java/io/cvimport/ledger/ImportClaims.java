package io.cvimport.ledger;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Claims: one import of a token into a target resource, held by the row that sends it. The
 * table's primary key (token fingerprint, resource) is the guarantee: two rows, of any
 * input, run or process, cannot both hold it, so they cannot both send.
 */
@Component
class ImportClaims {

    private static final String ROW_RESOURCE = """
            SELECT l.token_fp, COALESCE(r.resource_id, l.target_fp) AS resource_id FROM import_ledger l
            LEFT JOIN target_resource r ON r.target_fp = l.target_fp
            WHERE l.job_instance_id = :instance AND l.row_no = :row AND l.token_fp IS NOT NULL
            """;

    private final NamedParameterJdbcTemplate jdbc;

    ImportClaims(JdbcTemplate jdbcTemplate) {
        this.jdbc = new NamedParameterJdbcTemplate(jdbcTemplate);
    }

    private record Key(String tokenFp, String resourceId) {
    }

    /**
     * Takes the row's claim, in the caller's transaction. False: another row holds it (the
     * caller must roll back: on PostgreSQL a refused insert ends the transaction).
     */
    boolean take(long instance, long row, long now) {
        Key key = keyOf(instance, row);
        if (key == null) {
            return true;
        }
        List<long[]> holders = holders(key);
        if (!holders.isEmpty()) {
            return holders.get(0)[0] == instance && holders.get(0)[1] == row;
        }
        try {
            jdbc.update("""
                    INSERT INTO import_claim (token_fp, resource_id, job_instance_id, row_no, claimed_at)
                    VALUES (:token, :resource, :instance, :row, :now)
                    """, new MapSqlParameterSource("token", key.tokenFp()).addValue("resource", key.resourceId())
                    .addValue("instance", instance).addValue("row", row).addValue("now", now));
            return true;
        }
        catch (DuplicateKeyException takenMeanwhile) {
            return false;
        }
    }

    /** The row that holds the claim this row needs, with its state; null if no row holds it. */
    @Nullable ClaimHolder holderFor(long instance, long row) {
        Key key = keyOf(instance, row);
        if (key == null) {
            return null;
        }
        List<ClaimHolder> holders = jdbc.query("""
                SELECT c.job_instance_id, c.row_no, l.status, l.project_id FROM import_claim c
                JOIN import_ledger l ON l.job_instance_id = c.job_instance_id AND l.row_no = c.row_no
                WHERE c.token_fp = :token AND c.resource_id = :resource
                """, new MapSqlParameterSource("token", key.tokenFp()).addValue("resource", key.resourceId()),
                (rs, i) -> new ClaimHolder(rs.getLong("job_instance_id"), rs.getLong("row_no"),
                        RowStatus.valueOf(rs.getString("status")), rs.getString("project_id")));
        return holders.isEmpty() ? null : holders.get(0);
    }

    /** The row's import made nothing, was refused, or failed: the token may be imported again. */
    void release(long instance, long row) {
        jdbc.update("DELETE FROM import_claim WHERE job_instance_id = :instance AND row_no = :row",
                new MapSqlParameterSource("instance", instance).addValue("row", row));
    }

    private @Nullable Key keyOf(long instance, long row) {
        List<Key> keys = jdbc.query(ROW_RESOURCE, new MapSqlParameterSource("instance", instance).addValue("row", row),
                (rs, i) -> new Key(rs.getString("token_fp"), rs.getString("resource_id")));
        return keys.isEmpty() ? null : keys.get(0);
    }

    private List<long[]> holders(Key key) {
        return jdbc.query("""
                SELECT job_instance_id, row_no FROM import_claim WHERE token_fp = :token AND resource_id = :resource
                """, new MapSqlParameterSource("token", key.tokenFp()).addValue("resource", key.resourceId()),
                (rs, i) -> new long[] { rs.getLong("job_instance_id"), rs.getLong("row_no") });
    }
}
