package io.cvimport.imports.lanes;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cvimport.customvision.TargetResource;
import io.cvimport.ledger.ResourceLinks;
import io.cvimport.imports.ImportProperties;

/**
 * The engine's lanes: one per target resource, found by any of its targets. Owned by the
 * lanes' owner's thread.
 */
public final class ResourceLanes {

    private static final Logger log = LoggerFactory.getLogger(ResourceLanes.class);

    private final ResourceLinks resources;
    private final ImportProperties properties;
    private final Ticker ticker;
    private final Map<String, Lane> byTarget = new LinkedHashMap<>();
    private final Map<String, Lane> byResource = new HashMap<>();
    /** Every lane, in the order the workers go round them. */
    final List<Lane> order = new ArrayList<>();
    /** Rows held in memory, queued or waiting on another run's claim: the window's measure. */
    int held;
    /** Completed when rows next leave the window (sent, given back, dropped) or the engine stops: a feeder waits on it. */
    private CompletableFuture<Boolean> rowsLeave = new CompletableFuture<>();

    public ResourceLanes(ResourceLinks resources, ImportProperties properties, Ticker ticker) {
        this.resources = resources;
        this.properties = properties;
        this.ticker = ticker;
    }

    public Lane of(TargetResource target) {
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
                    properties.pollInterval().toNanos(), ticker);
            // Every lane lists its projects before its first import: a target never linked so that a
            // rotated key or another endpoint of a known resource is recognised before anything is
            // sent; any target so that a lost answer has a listing made before it was sent.
            lane.identified = false;
            order.add(lane);
            byResource.put(resource, lane);
        }
        lane.targets.add(target);
        byTarget.put(fp, lane);
        return lane;
    }

    /** A row to send, at the end of its lane's queue (first, when {@code again}), unless the lane stopped. */
    public void queue(Lane lane, Send send, boolean again) {
        if (lane.stoppedBecause != null) {
            return; // the row stays PENDING for the next run
        }
        if (again) {
            lane.queue.addFirst(send);
        }
        else {
            lane.queue.add(send);
        }
        held++;
    }

    /**
     * A listing of the lane is over: the owner applies what it showed. Returns the rows it
     * leaves unsent when the lane's resource could not be told after import.max-attempts.
     */
    public List<Send> listed(Lane lane, ListingEnd end, CallsDue due) {
        lane.polling = false;
        // The listing before a lane's first import finds nothing to settle: the next one keeps the first interval.
        due.listed(lane, end.changed() || !lane.identified, ticker.nanos());
        if (end.retryAfter() != null) {
            lane.throttled(ticker.nanos(), end.retryAfter());
        }
        lane.identified |= end.identified();
        String resource = end.resource() != null ? end.resource() : lane.mergeInto;
        if (resource != null) {
            relink(lane, resource);
        }
        if (end.discoveryFailed() && ++lane.discoveryFailures >= properties.maxAttempts()) {
            // Sending without knowing the resource could import a token twice: the rows wait for the next run.
            return takeQueue(lane);
        }
        return List.of();
    }

    /** A row whose claim another run's row holds, looked at again from {@code checkAt} on. */
    public void hold(Lane lane, Send send, long checkAt) {
        if (lane.stoppedBecause != null) {
            return; // the row stays PENDING for the next run
        }
        if (lane.held.isEmpty() && !lane.checkingHeld) {
            lane.heldCheckNanos = checkAt;
        }
        lane.held.add(send);
        held++;
    }

    /** The next row the lane sends. */
    Send nextSend(Lane lane) {
        release(1);
        return lane.queue.remove();
    }

    List<Send> takeQueue(Lane lane) {
        List<Send> taken = List.copyOf(lane.queue);
        lane.queue.clear();
        release(taken.size());
        return taken;
    }

    public List<Send> takeHeld(Lane lane) {
        List<Send> taken = List.copyOf(lane.held);
        lane.held.clear();
        release(taken.size());
        return taken;
    }

    /** The lane is given up for this run: its rows stay open in the ledger, for the next run. */
    void drop(Lane lane) {
        release(lane.queue.size() + lane.held.size());
        lane.queue.clear();
        lane.held.clear();
        lane.awaited.clear();
        lane.lost.clear();
    }

    private void release(int rows) {
        held -= rows;
        if (rows > 0) {
            wakeFeeder();
        }
    }

    /**
     * Rows each target's lane holds in memory, queued or waiting on another run's claim; none
     * once the engine ({@code stopping}) or the lane stopped, which take no more rows (what is
     * handed then is dropped).
     */
    Map<TargetResource, Integer> queued(Collection<TargetResource> targets, boolean stopping) {
        Map<TargetResource, Integer> queued = new HashMap<>();
        for (TargetResource target : targets) {
            Lane lane = of(target);
            queued.put(target, stopping || lane.stoppedBecause != null ? 0 : lane.queue.size() + lane.held.size());
        }
        return queued;
    }

    /** What a feeder waiting for room waits on. */
    CompletableFuture<Boolean> rowsLeaving() {
        return rowsLeave;
    }

    /** Ends a feeder's wait for room: rows left, or the engine stops. */
    void wakeFeeder() {
        CompletableFuture<Boolean> waited = rowsLeave;
        rowsLeave = new CompletableFuture<>();
        waited.complete(true);
    }

    /** Every lane quiet enough for a stop to end: no call under way, every verification queued made unless {@code failed}. */
    boolean quietForStop(boolean failed) {
        return order.stream().allMatch(lane -> lane.noCallUnderWay()
                && (failed || lane.stoppedBecause != null || lane.toVerify.isEmpty()));
    }

    String state() {
        int sending = 0;
        int awaited = 0;
        int lost = 0;
        int waiting = 0;
        for (Lane lane : order) {
            waiting += lane.held.size();
            sending += lane.sending;
            awaited += lane.awaited.size();
            lost += lane.lost.size();
        }
        return "queued=" + held + " sending=" + sending + " awaiting=" + awaited + " lostAnswers=" + lost
                + (waiting == 0 ? "" : " waitingOnOtherRuns=" + waiting) + " resources=" + order.size();
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
        Lane into = byResource.get(resource);
        if (into == null) {
            byResource.remove(lane.resourceId, lane);
            lane.resourceId = resource;
            byResource.putIfAbsent(resource, lane);
            lane.mergeInto = null;
            return false;
        }
        if (lane.sending > 0 || lane.polling || lane.checkingHeld || lane.verifying > 0) {
            // Merged at its next listing once quiet; meanwhile the ledger's send slot keeps the two lanes apart.
            lane.mergeInto = resource;
            return false;
        }
        byResource.remove(lane.resourceId, lane);
        lane.mergeInto = null;
        into.queue.addAll(lane.queue);
        into.held.addAll(lane.held);
        into.awaited.putAll(lane.awaited);
        into.lastSentNanos = Math.max(into.lastSentNanos, lane.lastSentNanos);
        CallsDue.couldFinishAt(into, lane.firstEstimatedFinishNanos);
        into.lost.addAll(lane.lost);
        into.toVerify.addAll(lane.toVerify);
        into.targets.absorb(lane.targets);
        lane.queue.clear();
        lane.held.clear();
        lane.awaited.clear();
        lane.lost.clear();
        lane.toVerify.clear();
        byTarget.replaceAll((fp, each) -> each == lane ? into : each);
        order.remove(lane);
        log.info("{} reaches the same resource as {}: their rows share one lane and one rate budget", lane, into);
        return true;
    }
}
