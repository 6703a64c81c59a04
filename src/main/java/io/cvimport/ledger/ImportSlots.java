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
        return take(SendKey.of(jdbc, instance, row), now, leaseMillis);
    }

    /** The same for the row as read for its send. */
    boolean take(SendKey send, long now, long leaseMillis) {
        if (send.resourceId() == null) {
            return true;
        }
        MapSqlParameterSource slot = send.parameters().addValue("resource", send.resourceId()).addValue("now", now);
        Taken first = insert(slot, true);
        if (first != Taken.HELD) {
            // Taken, or taken meanwhile by another transaction (a refused insert ends this one on PostgreSQL).
            return first == Taken.YES;
        }
        List<long[]> holders = jdbc.query("""
                SELECT s.job_instance_id, s.row_no, CASE WHEN l.status = 'SUBMITTING' THEN 1 ELSE 0 END, s.taken_at
                FROM import_slot s LEFT JOIN import_ledger l
                  ON l.job_instance_id = s.job_instance_id AND l.row_no = s.row_no
                WHERE s.resource_id = :resource
                """, slot, (rs, i) -> new long[] { rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4) });
        if (!holders.isEmpty()) {
            long[] holder = holders.get(0);
            if (holder[0] == send.instance() && holder[1] == send.row()) {
                renew(send.instance(), send.row(), now);
                return true;
            }
            if (holder[2] == 1 && now - holder[3] < leaseMillis) {
                return false;
            }
            // Only the slot as read: a holder that renewed it meanwhile (or was sent again) keeps it.
            int freed = jdbc.update("DELETE FROM import_slot WHERE resource_id = :resource"
                    + " AND job_instance_id = :holderInstance AND row_no = :holderRow AND taken_at = :heldSince",
                    slot.addValue("holderInstance", holder[0]).addValue("holderRow", holder[1])
                            .addValue("heldSince", holder[3]));
            if (freed == 0) {
                return false;
            }
        }
        return insert(slot, false) == Taken.YES;
    }

    /** What an insert of the slot came to. */
    private enum Taken {
        YES,
        /** Not inserted: a row holds the slot (seen before inserting; the transaction goes on). */
        HELD,
        /** Refused: another transaction took it meanwhile; the caller must roll back. */
        MEANWHILE
    }

    /**
     * Inserts the slot.
     *
     * @param ifFree whether to skip the insert when the resource's slot is held (no key error to roll back)
     */
    private Taken insert(MapSqlParameterSource slot, boolean ifFree) {
        try {
            int inserted = jdbc.update("""
                    INSERT INTO import_slot (resource_id, job_instance_id, row_no, taken_at)
                    SELECT :resource, :instance, :row, :now FROM (VALUES (1)) AS one (x)
                    """ + (ifFree ? " WHERE NOT EXISTS (SELECT 1 FROM import_slot WHERE resource_id = :resource)" : ""),
                    slot);
            return inserted == 1 ? Taken.YES : Taken.HELD;
        }
        catch (DuplicateKeyException takenMeanwhile) {
            return Taken.MEANWHILE;
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
