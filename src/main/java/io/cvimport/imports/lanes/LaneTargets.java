package io.cvimport.imports.lanes;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.cvimport.customvision.ApiError;
import io.cvimport.customvision.TargetResource;

/**
 * The targets (keys and endpoints) a lane reaches its resource by, which of them lists, the
 * keys the service refused, and which projects a listing here has shown since when. Owned,
 * like its lane, by the lanes' owner's thread.
 */
final class LaneTargets {

    /** The target that lists and gets the resource's projects: one of {@link #targets}. */
    private TargetResource listing;
    /** The resource's targets this run uses, by fingerprint, until the service refuses one. */
    private final Map<String, TargetResource> targets = new LinkedHashMap<>();
    /** Targets whose key the service refused in this run: nothing more is sent with them. */
    private final Map<String, ApiError> refused = new LinkedHashMap<>();
    /**
     * Project ids this run has listed here, with when (monotonic) the listing that first showed
     * each was received: the owners of those the ledger was already asked about, and which
     * projects appeared after a lost import was sent, whatever the clocks say.
     */
    private final Map<String, Long> firstListedNanos = new HashMap<>();

    LaneTargets(TargetResource first) {
        this.listing = first;
        targets.put(first.fingerprint(), first);
    }

    TargetResource listing() {
        return listing;
    }

    /** Another target known to reach the lane's resource. */
    void add(TargetResource target) {
        targets.putIfAbsent(target.fingerprint(), target);
    }

    /** The service's refusal of a target's key (its listing answered 401 or 403); null if none. */
    @Nullable ApiError refusalOf(TargetResource of) {
        return refused.get(of.fingerprint());
    }

    /**
     * The service refused the listing target's key: nothing more is sent with it, and another
     * key of the resource lists from now on; false if none is left.
     */
    boolean refuseListing(ApiError error) {
        refused.put(listing.fingerprint(), error);
        targets.remove(listing.fingerprint());
        if (targets.isEmpty()) {
            targets.put(listing.fingerprint(), listing);
            return false;
        }
        listing = targets.values().iterator().next();
        return true;
    }

    /** Notes when each project was first listed here; returns those no listing had shown before. */
    List<String> firstListed(Collection<String> projectIds, long receivedNanos) {
        return projectIds.stream().filter(id -> firstListedNanos.putIfAbsent(id, receivedNanos) == null).toList();
    }

    /** When (monotonic) a listing here first showed the project; MAX_VALUE if none did. */
    long firstListedNanos(String projectId) {
        return firstListedNanos.getOrDefault(projectId, Long.MAX_VALUE);
    }

    /** Another lane's targets, refusals and listings join these (the two lanes reach one resource). */
    void absorb(LaneTargets other) {
        other.targets.forEach(targets::putIfAbsent);
        other.refused.forEach(refused::putIfAbsent);
        other.firstListedNanos.forEach(firstListedNanos::putIfAbsent);
    }
}
