package io.cvimport.ledger;

import java.util.List;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Send slots: at most one import per target resource that the service may still perform
 * while its outcome is unknown to the ledger. The table's primary key (the resource) is the
 * guarantee across threads, partitions, workers and runs; so the project of a lost answer
 * lies in its request's lifetime with no other import of ours, and the target's project list
 * decides it. A slot is free once its holder is no longer SUBMITTING (its answer was recorded
 * by a write that died before the release), or once its request's lifetime (the lease) has
 * passed: whatever that import made exists by then, and imports sent later cannot be taken
 * for it. So a run that died with a lost answer holds its resource no longer than that.
 */
@Component
class ImportSlots {

    private static final String ROW_RESOURCE = """
            SELECT COALESCE(r.resource_id, l.target_fp) FROM import_ledger l
            LEFT JOIN target_resource r ON r.target_fp = l.target_fp
            WHERE l.job_instance_id = :instance AND l.row_no = :row AND l.target_fp IS NOT NULL
            """;

    private final NamedParameterJdbcTemplate jdbc;

    ImportSlots(JdbcTemplate jdbcTemplate) {
        this.jdbc = new NamedParameterJdbcTemplate(jdbcTemplate);
    }

    /**
     * Takes the slot of the row's resource, in the caller's transaction. False: another row
     * holds it (the caller must roll back: on PostgreSQL a refused insert ends the transaction).
     *
     * @param leaseMillis how long after it was taken a slot whose holder is still SUBMITTING stays held
     */
    boolean take(long instance, long row, long now, long leaseMillis) {
        List<String> resources = jdbc.queryForList(ROW_RESOURCE, key(instance, row), String.class);
        if (resources.isEmpty()) {
            return true;
        }
        MapSqlParameterSource slot = key(instance, row).addValue("resource", resources.get(0)).addValue("now", now);
        List<long[]> holders = jdbc.query("""
                SELECT s.job_instance_id, s.row_no, CASE WHEN l.status = 'SUBMITTING' THEN 1 ELSE 0 END, s.taken_at
                FROM import_slot s LEFT JOIN import_ledger l
                  ON l.job_instance_id = s.job_instance_id AND l.row_no = s.row_no
                WHERE s.resource_id = :resource
                """, slot, (rs, i) -> new long[] { rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4) });
        if (!holders.isEmpty()) {
            long[] holder = holders.get(0);
            if (holder[0] == instance && holder[1] == row) {
                renew(instance, row, now);
                return true;
            }
            if (holder[2] == 1 && now - holder[3] < leaseMillis) {
                return false;
            }
            jdbc.update("DELETE FROM import_slot WHERE resource_id = :resource AND job_instance_id = :holderInstance"
                    + " AND row_no = :holderRow", slot.addValue("holderInstance", holder[0])
                    .addValue("holderRow", holder[1]));
        }
        try {
            jdbc.update("""
                    INSERT INTO import_slot (resource_id, job_instance_id, row_no, taken_at)
                    VALUES (:resource, :instance, :row, :now)
                    """, slot);
            return true;
        }
        catch (DuplicateKeyException takenMeanwhile) {
            return false;
        }
    }

    /** The holder's lease starts again at {@code now}: its outcome is still being decided. */
    void renew(long instance, long row, long now) {
        jdbc.update("UPDATE import_slot SET taken_at = :now WHERE job_instance_id = :instance AND row_no = :row",
                key(instance, row).addValue("now", now));
    }

    /** The row's import has an outcome known (or was provably not performed): the resource may send again. */
    void release(long instance, long row) {
        jdbc.update("DELETE FROM import_slot WHERE job_instance_id = :instance AND row_no = :row", key(instance, row));
    }

    private static MapSqlParameterSource key(long instance, long row) {
        return new MapSqlParameterSource("instance", instance).addValue("row", row);
    }
}
