package io.cvimport.imports.lanes;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

import io.cvimport.customvision.ApiError;
import io.cvimport.customvision.ApiResult;
import io.cvimport.customvision.Project;
import io.cvimport.customvision.TargetResource;

/**
 * One target resource's share of the engine: its queue of imports to send, the imports
 * it awaits, the rows whose answers were lost, the rows waiting on another run's claim, and
 * its rate budget. Every target (key and endpoint) known to reach the resource shares it.
 * Every field belongs to the lanes' owner's thread ({@link LaneScheduler}); the rules of
 * when it may call are {@link CallsDue}'s.
 */
public final class Lane {



    /** The targets that reach the resource, the one that lists, refused keys, projects listed. */
    final LaneTargets targets;
    final String fingerprint;
    /** The resource's id (see ResourceLinks). */
    String resourceId;
    /** The resource of another lane that this one turned out to reach, while it was too busy to merge; else null. */
    @Nullable String mergeInto;
    /** False until the first listing has shown which resource a target never linked is. */
    boolean identified;
    int discoveryFailures;
    /** When the last listing that answered here was asked for (monotonic); MIN_VALUE before any. */
    long lastListingNanos = Long.MIN_VALUE;
    final Deque<Send> queue = new ArrayDeque<>();
    /** Rows whose claim another run's row holds, looked at again from time to time. */
    final Deque<Send> held = new ArrayDeque<>();
    boolean checkingHeld;
    long heldCheckNanos;
    final Map<String, AwaitedImport> awaited = new LinkedHashMap<>();
    final List<LostAnswer> lost = new ArrayList<>();
    /**
     * This lane's import of unknown outcome, from just before its row is marked SUBMITTING
     * until its answer: with {@link #lost}, the in-process half of the resource's send slot.
     */
    boolean importOpen;
    /** Its rate budget: every call here takes one. */
    final RateBudget budget;
    int sending;
    /** Sends of source rows handed out and not over: their imports take this lane's budget as they leave. */
    int exporting;
    /** Source rows whose project Succeeded, to verify (GetTags) on this lane's budget; and those being verified. */
    final Deque<AwaitedImport> toVerify = new ArrayDeque<>();
    int verifying;
    boolean polling;
    long pausedUntilNanos;
    long nextPollNanos;
    long pollIntervalNanos;
    long lastPollNanos;
    /**
     * The shortest time an import took here, from its sending to being first seen out of
     * Importing; -1 until one was seen.
     */
    long importNanos = -1;
    /** When the last import awaited here was sent, in this run; MIN_VALUE before any. */
    long lastSentNanos = Long.MIN_VALUE;
    /**
     * The earliest an import awaited in this run could have finished (by the import times seen,
     * or a source row's estimate); MIN_VALUE when none is known. The tail listing waits for it.
     */
    long firstEstimatedFinishNanos = Long.MIN_VALUE;
    /** Environment failures in a row (TLS trust, DNS, proxy) since this target last answered. */
    int environmentFailures;
    /** Why nothing more is sent here in this run, once the environment failed too often. */
    @Nullable String stoppedBecause;

    /** The service's clock as this lane's answers showed it. */
    private final ServiceClock serviceClock = new ServiceClock();

    Lane(TargetResource target, String resourceId, double rate, long pollIntervalNanos, Ticker ticker) {
        this.targets = new LaneTargets(target);
        this.fingerprint = target.fingerprint();
        this.resourceId = resourceId;
        this.budget = new RateBudget(rate, ticker);
        this.pollIntervalNanos = pollIntervalNanos;
        this.lastPollNanos = ticker.nanos();
    }

    /**
     * The service throttled us: wait as told, and slow down by a tenth; {@link #answered}
     * brings the rate back slowly (additive increase, multiplicative decrease), so that a
     * lane settles just under what the service allows.
     */
    public void throttled(long nowNanos, Duration wait) {
        pausedUntilNanos = Math.max(pausedUntilNanos, nowNanos + wait.toNanos());
        budget.slowDown();
    }

    /** A call went through: the rate recovers a little (see {@link RateBudget#recover}). */
    public void answered() {
        budget.recover();
    }

    /** An import sent and answered at these times of ours made a project created then on the service's clock. */
    public void observe(long sentAtMillis, long answeredAtMillis, java.time.Instant created) {
        serviceClock.observe(sentAtMillis, answeredAtMillis, created);
    }

    /** Any answer: the target's clock as it showed it; an answer also proves the way there works. */
    public void observe(ApiResult<?> result) {
        serviceClock.observe(result.serverDate());
        if (result instanceof ApiResult.Ok<?> || ((ApiResult.Failed<?>) result).error().httpStatus() != 0) {
            environmentFailures = 0;
        }
    }

    /** A project listed in an answer received (at the latest) then was created before it. */
    public void observeListed(java.time.Instant created, long receivedAtMillis) {
        serviceClock.observeListed(created, receivedAtMillis);
    }

    /** Where a lost import's project can have been created, on the service's clock (see {@link ServiceClock}). */
    public long[] creationWindow(long sentAtMillis, long lostAtMillis, long toleranceMillis) {
        return serviceClock.creationWindow(sentAtMillis, lostAtMillis, toleranceMillis);
    }

    /** The service's refusal of a target's key (its listing answered 401 or 403), by target fingerprint. */
    public @Nullable ApiError refusalOf(TargetResource of) {
        return targets.refusalOf(of);
    }

    // ---- what a worker's call tells the owner: each runs on the owner's thread

    /** The target that lists and gets the resource's projects. */
    public TargetResource listingTarget() {
        return targets.listing();
    }

    /** The fingerprint of the target the lane was made for. */
    public String fingerprint() {
        return fingerprint;
    }

    /** When the last listing that answered here was asked for (monotonic); MIN_VALUE before any. */
    public long lastListingNanos() {
        return lastListingNanos;
    }

    /** A listing asked for at {@code listedFromNanos} answered with these projects, received then. */
    public void listingAnswered(long listedFromNanos, List<Project> projects, long receivedAtMillis) {
        answered();
        lastListingNanos = Math.max(lastListingNanos, listedFromNanos);
        projects.stream().filter(p -> p.created() != null)
                .forEach(p -> serviceClock.observeListed(p.created(), receivedAtMillis));
    }

    /** Notes when each project was first listed here; returns those no listing had shown before. */
    public List<String> firstListed(Collection<String> projectIds, long receivedNanos) {
        return targets.firstListed(projectIds, receivedNanos);
    }

    /** When (monotonic) a listing here first showed the project; MAX_VALUE if none did. */
    public long firstListedNanos(String projectId) {
        return targets.firstListedNanos(projectId);
    }

    /** The imports awaited here, as they are now. */
    public List<AwaitedImport> awaitedImports() {
        return List.copyOf(awaited.values());
    }

    public Set<String> awaitedProjectIds() {
        return new HashSet<>(awaited.keySet());
    }

    /** An import an earlier execution sent, awaited here from now on. */
    public void awaitFromEarlier(AwaitedImport earlier) {
        awaited.put(earlier.projectId(), earlier);
    }

    /** The awaited import left Importing, or was given up: whether it was still awaited. */
    public boolean settled(String projectId) {
        return awaited.remove(projectId) != null;
    }

    /** Every awaited import, no longer awaited here (the key was refused). */
    public List<AwaitedImport> takeAwaited() {
        List<AwaitedImport> all = List.copyOf(awaited.values());
        awaited.clear();
        return all;
    }

    /** A source row's project Succeeded: it is verified on this lane's budget. */
    public void verifyLater(AwaitedImport succeeded) {
        toVerify.add(succeeded);
    }

    /** A verification handed out here is over. */
    public void verified() {
        verifying--;
    }

    /** A sent import's answer was lost: it holds the resource's send slot until a listing decides it. */
    public void answerLost(LostAnswer answer) {
        lost.add(answer);
    }

    /** The lost answers, as they are now. */
    public List<LostAnswer> lostAnswers() {
        return List.copyOf(lost);
    }

    /** A listing decided some lost answers; the undecided ones are looked for again as {@code again} says. */
    public void lostDecided(Collection<LostAnswer> decided, Collection<LostAnswer> undecided,
            UnaryOperator<LostAnswer> again) {
        lost.removeAll(decided);
        lost.removeAll(undecided);
        undecided.forEach(l -> lost.add(again.apply(l)));
    }

    /** The lost answers {@code which} selects, no longer looked for here. */
    public List<LostAnswer> takeLost(Predicate<LostAnswer> which) {
        List<LostAnswer> taken = lost.stream().filter(which).toList();
        lost.removeAll(taken);
        return taken;
    }

    /** A listing failed: the lost answers due to be looked for are looked for again as {@code again} says. */
    public void lostLookedForInVain(long nowNanos, UnaryOperator<LostAnswer> again) {
        lost.replaceAll(l -> l.checkAtNanos() <= nowNanos ? again.apply(l) : l);
    }

    /** The rows waiting on other runs' claims were looked at; the next look is at {@code nextNanos}. */
    public void heldChecked(long nextNanos) {
        checkingHeld = false;
        heldCheckNanos = nextNanos;
    }

    /** A send handed out here is over; {@code releaseSlot}: its outcome is known (a lost answer keeps the slot). */
    public void sendEnded(boolean releaseSlot, boolean source) {
        importOpen &= !releaseSlot;
        sending--;
        if (source) {
            exporting--;
        }
    }

    /** Nothing is called here before {@code nanos} (monotonic). */
    public void pauseUntil(long nanos) {
        pausedUntilNanos = Math.max(pausedUntilNanos, nanos);
    }

    /** How long (nanos) calls here are still paused from {@code nowNanos}; 0 or less when they are not. */
    public long pausedFor(long nowNanos) {
        return pausedUntilNanos - nowNanos;
    }

    /** The listing target's key is refused: another key lists from now on (see {@link LaneTargets#refuseListing}). */
    public boolean refuseListingKey(ApiError error) {
        return targets.refuseListing(error);
    }

    public Lister lister() {
        return new Lister(targets.listing(), identified, discoveryFailures);
    }

    /** No import of this lane has an unknown outcome: another may take the resource's send slot. */
    boolean slotFree() {
        return !importOpen && lost.isEmpty();
    }

    boolean idle() {
        if (stoppedBecause != null) {
            return noCallUnderWay();
        }
        return queue.isEmpty() && awaited.isEmpty() && lost.isEmpty() && held.isEmpty() && toVerify.isEmpty()
                && noCallUnderWay();
    }

    /** No send, listing, check of held rows or verification of the lane's is under way. */
    boolean noCallUnderWay() {
        return sending == 0 && !polling && !checkingHeld && verifying == 0;
    }

    @Override
    public String toString() {
        return targets.listing().toString();
    }
}
