package io.cvimport.scale;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Which worker took which partition's step execution (the partition_worker table), and
 * whether that worker's lease still lives: its row in run_lock, renewed on the database's
 * clock. The insert is the claim: a step execution is run by one worker, whatever the broker
 * delivers twice.
 */
@Component
public class PartitionWorkers {

    /** The keys of workers' leases in run_lock. */
    static final String LEASE_PREFIX = "worker/";

    /**
     * A partition's worker as the repository has it now.
     *
     * @param generation null when the worker's lease is gone: revoked, or ended by the worker
     * @param heartbeat  when the worker last renewed its lease, on the database's clock
     * @param age        how long ago that was
     * @param held       how long ago the worker took the step execution
     */
    record Claim(long stepExecutionId, String leaseKey, String worker, @Nullable Long generation,
            @Nullable OffsetDateTime heartbeat, Duration age, Duration held) {

        /** Whether the worker has not renewed its lease for {@code ttl}, or has none. */
        boolean lost(Duration ttl) {
            return generation == null || age.compareTo(ttl) >= 0;
        }
    }

    private final NamedParameterJdbcTemplate jdbc;

    PartitionWorkers(JdbcTemplate jdbcTemplate) {
        this.jdbc = new NamedParameterJdbcTemplate(jdbcTemplate);
    }

    /** Takes the step execution for the worker; false when another worker took it first. */
    boolean take(long stepExecutionId, String leaseKey, String worker) {
        try {
            return jdbc.update("""
                    INSERT INTO partition_worker (step_execution_id, lease_key, worker, taken_at)
                    VALUES (:id, :lease, :worker, CURRENT_TIMESTAMP)
                    """, new MapSqlParameterSource("id", stepExecutionId).addValue("lease", leaseKey)
                    .addValue("worker", worker)) == 1;
        }
        catch (DuplicateKeyException takenMeanwhile) {
            return false;
        }
    }

    /** The claims of those step executions that a worker took, by step execution id. */
    Map<Long, Claim> claims(Collection<Long> stepExecutionIds) {
        Map<Long, Claim> claims = new HashMap<>();
        if (stepExecutionIds.isEmpty()) {
            return claims;
        }
        jdbc.query("""
                SELECT p.step_execution_id, p.lease_key, p.worker, p.taken_at, l.generation, l.heartbeat_at,
                       CURRENT_TIMESTAMP AS db_now
                FROM partition_worker p LEFT JOIN run_lock l ON l.lock_key = p.lease_key
                WHERE p.step_execution_id IN (:ids)
                """, new MapSqlParameterSource("ids", stepExecutionIds), rs -> {
            long generation = rs.getLong("generation");
            boolean leased = !rs.wasNull();
            OffsetDateTime heartbeat = rs.getObject("heartbeat_at", OffsetDateTime.class);
            OffsetDateTime now = rs.getObject("db_now", OffsetDateTime.class);
            Duration age = heartbeat == null ? Duration.ZERO : Duration.between(heartbeat, now);
            Duration held = Duration.between(rs.getObject("taken_at", OffsetDateTime.class), now);
            long id = rs.getLong("step_execution_id");
            claims.put(id, new Claim(id, rs.getString("lease_key"), rs.getString("worker"),
                    leased ? generation : null, heartbeat, age, held));
        });
        return claims;
    }

    /** The worker (host and pid) that took each of those step executions, for the operator. */
    public Map<Long, String> workers(Collection<Long> stepExecutionIds) {
        Map<Long, String> workers = new HashMap<>();
        claims(stepExecutionIds).forEach((id, claim) -> workers.put(id, claim.worker()));
        return workers;
    }
}
