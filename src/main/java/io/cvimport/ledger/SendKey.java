package io.cvimport.ledger;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * What a send of one row needs from the ledger, in one read: its token's fingerprint (for its
 * claim), its target resource (for its claim and its send slot: the resource the target was
 * linked to, else the target itself) and its number of sends so far.
 *
 * @param tokenFp    null for a row without a token: it needs no claim
 * @param resourceId null for a row without a target: it needs neither claim nor slot
 */
record SendKey(long instance, long row, @Nullable String tokenFp, @Nullable String resourceId, int attempts) {

    /** The row as it is now; a row not in the ledger needs neither claim nor slot. */
    static SendKey of(NamedParameterJdbcTemplate jdbc, long instance, long row) {
        List<SendKey> keys = jdbc.query("""
                SELECT l.token_fp, COALESCE(r.resource_id, l.target_fp) AS resource_id, l.attempts FROM import_ledger l
                LEFT JOIN target_resource r ON r.target_fp = l.target_fp
                WHERE l.job_instance_id = :instance AND l.row_no = :row
                """, new MapSqlParameterSource("instance", instance).addValue("row", row),
                (rs, i) -> new SendKey(instance, row, rs.getString("token_fp"), rs.getString("resource_id"),
                        rs.getInt("attempts")));
        return keys.isEmpty() ? new SendKey(instance, row, null, null, 0) : keys.get(0);
    }

    /** The parameters that name the row: {@code instance}, {@code row}. */
    MapSqlParameterSource parameters() {
        return new MapSqlParameterSource("instance", instance).addValue("row", row);
    }
}
