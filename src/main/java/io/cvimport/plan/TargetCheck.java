package io.cvimport.plan;

import java.util.List;
import java.util.Set;

/** What one listing of a target resource told about one of its targets. */
sealed interface TargetCheck {

    /**
     * The key works; the resource holds these projects (their ids, lower case), {@code inOrder}
     * as a whole source resource's projects take their places.
     */
    record Listed(Set<String> projectIds, List<String> inOrder) implements TargetCheck {

        Listed(Set<String> projectIds) {
            this(projectIds, projectIds.stream().sorted().toList());
        }

        int projects() {
            return projectIds.size();
        }
    }

    /** The service refused the key (401, 403) or the listing: a run's imports would get the same. */
    record Refused(String code, String message) implements TargetCheck {
    }

    /** No answer that tells: throttled past the attempts, DNS, TLS, a proxy. */
    record Unchecked(String why) implements TargetCheck {
    }
}
