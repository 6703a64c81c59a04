package io.cvimport.ledger;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Which targets (endpoint and key, by fingerprint) are one Custom Vision resource. A key
 * names a resource only until it is rotated, and one resource answers at its regional
 * endpoint and at its custom subdomain; what stays is its projects. So two targets are
 * linked when the service lists, through one, a project the ledger recorded under the
 * other. A resource is named by the fingerprint of the target whose project made the link:
 * a short id that stays as more targets join.
 */
@Component
public class ResourceLinks {

    private static final Logger log = LoggerFactory.getLogger(ResourceLinks.class);
    private static final int IN_LIST = 500;
    private static final int ATTEMPTS = 3;

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate transaction;

    public ResourceLinks(JdbcTemplate jdbcTemplate, PlatformTransactionManager transactionManager) {
        this.jdbc = new NamedParameterJdbcTemplate(jdbcTemplate);
        // Nested: a link that races another run's rolls back to its savepoint only, also inside
        // the outage ride-through's transaction.
        this.transaction = new TransactionTemplate(transactionManager);
        this.transaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    /** The resource a target belongs to: its own fingerprint while it is linked to none. */
    public String resourceOf(String targetFp) {
        List<String> linked = jdbc.queryForList("SELECT resource_id FROM target_resource WHERE target_fp = :target",
                new MapSqlParameterSource("target", targetFp), String.class);
        return linked.isEmpty() ? targetFp : linked.get(0);
    }

    public boolean isLinked(String targetFp) {
        return !jdbc.queryForList("SELECT resource_id FROM target_resource WHERE target_fp = :target",
                new MapSqlParameterSource("target", targetFp), String.class).isEmpty();
    }

    /**
     * Links the target that listed these projects to every other target whose ledger rows
     * hold one of them.
     *
     * @return the target's resource afterwards
     */
    public String learn(String targetFp, Collection<String> projectIds) {
        String resource = resourceOf(targetFp);
        for (String owner : ownersOf(projectIds)) {
            if (!owner.equals(targetFp) && !resourceOf(owner).equals(resource)) {
                resource = link(targetFp, owner);
            }
        }
        return resource;
    }

    private Set<String> ownersOf(Collection<String> projectIds) {
        Set<String> owners = new HashSet<>();
        List<String> ids = List.copyOf(projectIds);
        for (int i = 0; i < ids.size(); i += IN_LIST) {
            owners.addAll(jdbc.queryForList("""
                    SELECT DISTINCT target_fp FROM import_ledger WHERE project_id IN (:ids) AND target_fp IS NOT NULL
                    """, new MapSqlParameterSource("ids", ids.subList(i, Math.min(ids.size(), i + IN_LIST))),
                    String.class));
        }
        return owners;
    }

    /**
     * Makes {@code newcomer}'s resource part of {@code owner}'s: its targets and its claims
     * move under the owner's resource id. A claim of the same token both resources already
     * hold stays where it is (both imports happened before the link was known).
     */
    String link(String newcomer, String owner) {
        for (int attempt = 1;; attempt++) {
            try {
                return transaction.execute(status -> merge(newcomer, owner));
            }
            catch (DuplicateKeyException | PessimisticLockingFailureException concurrentLink) {
                // Another run linked one of them at the same moment (read what it wrote and go on),
                // or a transaction releasing claims of these targets held locks this link needed
                // while waiting on one it held: the database undid this link, which is tried again.
                if (attempt == ATTEMPTS) {
                    throw concurrentLink;
                }
            }
        }
    }

    /** Moves the newcomer's resource, its targets, claims and send slot into the owner's; the one resource's id. */
    private String merge(String newcomer, String owner) {
        String from = resourceOf(newcomer);
        String into = resourceOf(owner);
        if (from.equals(into)) {
            return into;
        }
        long now = System.currentTimeMillis();
        MapSqlParameterSource parameters = new MapSqlParameterSource("from", from).addValue("into", into)
                .addValue("now", now);
        jdbc.update("UPDATE target_resource SET resource_id = :into, linked_at = :now WHERE resource_id = :from",
                parameters);
        for (String target : List.of(owner, newcomer)) {
            if (!isLinked(target)) {
                jdbc.update("""
                        INSERT INTO target_resource (target_fp, resource_id, linked_at)
                        VALUES (:target, :into, :now)
                        """, new MapSqlParameterSource("target", target).addValue("into", into)
                        .addValue("now", now));
            }
        }
        jdbc.update("""
                UPDATE import_claim SET resource_id = :into WHERE resource_id = :from
                  AND token_fp NOT IN (SELECT token_fp FROM import_claim WHERE resource_id = :into)
                """, parameters);
        // One send slot for the resource: the newcomer's moves over unless the resource has
        // one already (both imports of unknown outcome were sent before the link was known).
        jdbc.update("""
                UPDATE import_slot SET resource_id = :into WHERE resource_id = :from
                  AND NOT EXISTS (SELECT 1 FROM import_slot WHERE resource_id = :into)
                """, parameters);
        log.info("target {} and target {} are one resource ({}): they list the same projects", newcomer,
                owner, into);
        return into;
    }

    /** The resource of each of these targets (its own fingerprint for a target linked to none). */
    public Map<String, String> resourcesOf(Collection<String> targetFps) {
        Map<String, String> resources = new HashMap<>();
        List<String> targets = List.copyOf(new HashSet<>(targetFps));
        for (String target : targets) {
            resources.put(target, target);
        }
        for (int i = 0; i < targets.size(); i += IN_LIST) {
            jdbc.query("SELECT target_fp, resource_id FROM target_resource WHERE target_fp IN (:targets)",
                    new MapSqlParameterSource("targets", targets.subList(i, Math.min(targets.size(), i + IN_LIST))),
                    rs -> {
                        resources.put(rs.getString("target_fp"), rs.getString("resource_id"));
                    });
        }
        return resources;
    }
}
