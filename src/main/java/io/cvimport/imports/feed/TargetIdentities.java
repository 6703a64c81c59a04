package io.cvimport.imports.feed;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cvimport.customvision.ApiResult;
import io.cvimport.customvision.CustomVisionApi;
import io.cvimport.customvision.Failure;
import io.cvimport.customvision.Project;
import io.cvimport.customvision.TargetResource;
import io.cvimport.ledger.ResourceLinks;

/**
 * Which resource a row's target opens, before the row is judged against the ledger: a key
 * the ledger has not seen (rotated since the row was sent) is first allowed to show its
 * resource by its project list, once per run; a project the ledger recorded under the old
 * key links the two, and the row goes on under the new one.
 */
public class TargetIdentities {

    private static final Logger log = LoggerFactory.getLogger(TargetIdentities.class);
    private static final int ATTEMPTS = 3;
    private static final long RETRY_MILLIS = 1000;

    private final CustomVisionApi client;
    private final ResourceLinks resources;
    private final Set<String> listed = ConcurrentHashMap.newKeySet();

    public TargetIdentities(CustomVisionApi client, ResourceLinks resources) {
        this.client = client;
        this.resources = resources;
    }

    /** Whether {@code now} opens the resource of the target the ledger recorded. */
    boolean sameResource(String recordedFp, TargetResource now) {
        String recorded = resources.resourceOf(recordedFp);
        if (recorded.equals(resources.resourceOf(now.fingerprint()))) {
            return true;
        }
        if (resources.isLinked(now.fingerprint()) || !listed.add(now.fingerprint())) {
            return false;
        }
        List<Project> projects = list(now);
        if (!projects.isEmpty()) {
            resources.learn(now.fingerprint(), projects.stream().map(Project::id).toList());
        }
        boolean same = recorded.equals(resources.resourceOf(now.fingerprint()));
        log.info("{}: a key the ledger had not seen {} the resource its rows were sent to", now,
                same ? "opens" : "does not open");
        return same;
    }

    /** The target's projects; none when the list cannot be read (the row is then judged changed). */
    protected List<Project> list(TargetResource target) {
        for (int attempt = 1;; attempt++) {
            ApiResult<List<Project>> result = client.getProjects(target.endpoint(), target.key());
            if (result instanceof ApiResult.Ok<List<Project>> ok) {
                return ok.value();
            }
            ApiResult.Failed<List<Project>> failed = (ApiResult.Failed<List<Project>>) result;
            if (attempt == ATTEMPTS || failed.failure() == Failure.TERMINAL || failed.failure() == Failure.ENVIRONMENT) {
                log.warn("{}: its project list could not be read ({} {}), so the resource it opens is unknown", target,
                        failed.error().httpStatus(), failed.error().code());
                return List.of();
            }
            try {
                Thread.sleep(RETRY_MILLIS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }
    }
}
