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
        return take(SendKey.of(jdbc, instance, row), now);
    }

    /** The same for the row as read for its send. */
    boolean take(SendKey send, long now) {
        if (send.tokenFp() == null || send.resourceId() == null) {
            return true;
        }
        Key key = new Key(send.tokenFp(), send.resourceId());
        try {
            // One statement when nobody holds it, as for almost every send.
            int taken = jdbc.update("""
                    INSERT INTO import_claim (token_fp, resource_id, job_instance_id, row_no, claimed_at)
                    SELECT :token, :resource, :instance, :row, :now FROM (VALUES (1)) AS one (x)
                    WHERE NOT EXISTS (SELECT 1 FROM import_claim WHERE token_fp = :token AND resource_id = :resource)
                    """, send.parameters().addValue("token", key.tokenFp()).addValue("resource", key.resourceId())
                    .addValue("now", now));
            if (taken == 1) {
                return true;
            }
        }
        catch (DuplicateKeyException takenMeanwhile) {
            return false;
        }
        List<long[]> holders = holders(key);
        return !holders.isEmpty() && holders.get(0)[0] == send.instance() && holders.get(0)[1] == send.row();
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
        SendKey send = SendKey.of(jdbc, instance, row);
        return send.tokenFp() == null || send.resourceId() == null ? null : new Key(send.tokenFp(), send.resourceId());
    }

    private List<long[]> holders(Key key) {
        return jdbc.query("""
                SELECT job_instance_id, row_no FROM import_claim WHERE token_fp = :token AND resource_id = :resource
                """, new MapSqlParameterSource("token", key.tokenFp()).addValue("resource", key.resourceId()),
                (rs, i) -> new long[] { rs.getLong("job_instance_id"), rs.getLong("row_no") });
    }
}
