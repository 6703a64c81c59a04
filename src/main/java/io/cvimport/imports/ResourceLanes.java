package io.cvimport.imports;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cvimport.customvision.TargetResource;
import io.cvimport.ledger.ResourceLinks;

/**
 * The engine's lanes: one per target resource, found by any of its targets. Guarded by the
 * engine's monitor.
 */
final class ResourceLanes {

    private static final Logger log = LoggerFactory.getLogger(ResourceLanes.class);

    private final ResourceLinks resources;
    private final ImportProperties properties;
    private final Map<String, Lane> byTarget = new LinkedHashMap<>();
    private final Map<String, Lane> byResource = new HashMap<>();
    /** Every lane, in the order the workers go round them. */
    final List<Lane> order = new ArrayList<>();

    ResourceLanes(ResourceLinks resources, ImportProperties properties) {
        this.resources = resources;
        this.properties = properties;
    }

    Lane of(TargetResource target) {
        String fp = target.fingerprint();
        Lane known = byTarget.get(fp);
        if (known != null) {
            return known;
        }
        boolean linked = resources.isLinked(fp);
        String resource = linked ? resources.resourceOf(fp) : fp;
        Lane lane = byResource.get(resource);
        if (lane == null) {
            lane = new Lane(target, resource, properties.rateFor(target.region().apiName(), fp),
                    properties.pollInterval().toNanos());
            // A target never linked lists its projects before its first import, so that a rotated
            // key or another endpoint of a known resource is recognised before anything is sent.
            lane.identified = linked;
            order.add(lane);
            byResource.put(resource, lane);
        }
        lane.targets.putIfAbsent(fp, target);
        byTarget.put(fp, lane);
        return lane;
    }

    /**
     * The lane's targets turned out to be part of another resource. If this run already has a
     * lane for it and this lane is quiet, its rows join that lane (one rate budget, one
     * listing); otherwise only the name changes, and the claims keep the guarantee.
     *
     * @return whether the lane was merged away
     */
    boolean relink(Lane lane, String resource) {
        if (resource.equals(lane.resourceId)) {
            return false;
        }
        byResource.remove(lane.resourceId, lane);
        Lane into = byResource.get(resource);
        if (into == null || lane.sending > 0 || lane.polling || lane.checkingHeld) {
            lane.resourceId = resource;
            byResource.putIfAbsent(resource, lane);
            return false;
        }
        into.queue.addAll(lane.queue);
        into.held.addAll(lane.held);
        into.awaited.putAll(lane.awaited);
        into.lost.addAll(lane.lost);
        lane.targets.forEach(into.targets::putIfAbsent);
        lane.queue.clear();
        lane.held.clear();
        lane.awaited.clear();
        lane.lost.clear();
        byTarget.replaceAll((fp, each) -> each == lane ? into : each);
        order.remove(lane);
        log.info("{} reaches the same resource as {}: their rows share one lane and one rate budget", lane, into);
        return true;
    }
}
