package io.cvimport.imports.settling;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cvimport.customvision.ApiError;
import io.cvimport.customvision.Project;
import io.cvimport.customvision.SourceProject;
import io.cvimport.customvision.TargetResource;
import io.cvimport.imports.lanes.CallContext;
import io.cvimport.imports.lanes.CallCounts;
import io.cvimport.imports.lanes.Clocks;
import io.cvimport.imports.lanes.Lane;
import io.cvimport.imports.lanes.LaneOwner;
import io.cvimport.imports.lanes.ResourceLanes;
import io.cvimport.ledger.RowRecorder;
import io.cvimport.imports.lanes.LostAnswer;
import io.cvimport.imports.lanes.Send;
import io.cvimport.imports.ImportProperties;

/**
 * Imports whose answer was lost, decided from the target's project list. Each holds its
 * resource's send slot, so it is the only import of unknown outcome there: an unclaimed
 * project created within its request's lifetime is its own and is adopted; none, in a
 * listing made after that whole lifetime, means it was never performed, and it is sent
 * again; until then it waits. Only a project made by someone else in the same window
 * leaves it IN_DOUBT.
 */
public final class LostAnswers {

    private static final Logger log = LoggerFactory.getLogger(LostAnswers.class);

    private final RowRecorder rows;
    private final LaneOwner owner;
    private final ResourceLanes lanes;
    private final Awaiting awaiting;
    private final ImportProperties properties;
    private final Clocks clocks;
    private final CallCounts counts;
    /** The longest a request can live on the wire (connect, then wait for the answer). */
    private final long requestLifetimeMillis;
    /** Rows sent whose project could not be looked up before their deadline: left as they are. */
    private final AtomicInteger unreconciled = new AtomicInteger();

    public LostAnswers(CallContext context, Awaiting awaiting, long requestLifetimeMillis) {
        this.rows = context.rows();
        this.owner = context.owner();
        this.lanes = context.lanes();
        this.awaiting = awaiting;
        this.properties = context.properties();
        this.clocks = context.clocks();
        this.counts = context.counts();
        this.requestLifetimeMillis = requestLifetimeMillis;
    }

    /**
     * A lost answer of an earlier execution, looked for at the first listing. It was sent
     * before this engine started, so its request's lifetime is over one lifetime from now at
     * the latest, whatever the wall clock says (it may have stepped, or been another host's).
     */
    public LostAnswer of(TargetResource target, long rowNo, String token, @Nullable SourceProject source, long sentAtMillis) {
        long now = clocks.nanos();
        return new LostAnswer(rowNo, token, target, sentAtMillis, Long.MIN_VALUE, Long.MIN_VALUE,
                now + requestLifetimeMillis * 1_000_000L, now, source);
    }

    public int unreconciled() {
        return unreconciled.get();
    }

    /**
     * Decides the lane's lost answers from its project list; true (the listing changed the lane).
     *
     * @param listedFromNanos when the listing was asked for: what it shows was so at least from then on
     */
    boolean reconcile(Lane lane, List<Project> projects, long listedFromNanos) {
        List<LostAnswer> lost = owner.ask(lane::lostAnswers);
        Set<String> awaitedIds = owner.ask(lane::awaitedProjectIds);
        Set<String> claimed = rows.claimed(projects.stream().map(Project::id).toList());
        List<Project> unclaimed = projects.stream()
                .filter(p -> !claimed.contains(p.id()) && !awaitedIds.contains(p.id()))
                .toList();
        List<InDoubtMatcher.Window> windows = owner.ask(() -> windows(lane, lost, unclaimed));
        InDoubtMatcher.Result match = InDoubtMatcher.match(windows, unclaimed);
        Map<Long, LostAnswer> byRow = lost.stream().collect(Collectors.toMap(LostAnswer::rowNo, Function.identity()));
        List<LostAnswer> decided = new ArrayList<>();
        match.adopted().forEach((rowNo, project) -> {
            counts.adopted();
            log.info("row {}: adopted project {} on {}, made by the import whose answer was lost", rowNo,
                    project.id(), lane);
            LostAnswer answer = lostOf(byRow, rowNo);
            decided.add(answer);
            awaiting.accepted(lane, rowNo, project, answer.sentAtMillis(), clocks.millis(), answer.source() != null,
                    null);
        });
        match.ambiguous().forEach((rowNo, candidates) -> {
            decided.add(lostOf(byRow, rowNo));
            inDoubt(rowNo, candidates);
        });
        List<LostAnswer> undecided = new ArrayList<>();
        for (long rowNo : match.noCandidate()) {
            LostAnswer row = lostOf(byRow, rowNo);
            if (listedFromNanos < row.decidableAtNanos()) {
                // The request may still be performed: only a listing after its whole lifetime can say it was not.
                undecided.add(row);
            }
            else {
                decided.add(row);
                sendAgain(lane, row);
            }
        }
        long now = clocks.nanos();
        owner.tell(() -> lane.lostDecided(decided, undecided, l -> l.checkAgainAt(nextCheck(l, now))));
        return !decided.isEmpty();
    }

    /** No project appeared within the lost request's whole lifetime: it was never performed, and is sent again. */
    private void sendAgain(Lane lane, LostAnswer row) {
        log.info("row {}: no project appeared on {} within its lost request's lifetime; sending it again", row.rowNo(),
                lane);
        rows.backToPending(row.rowNo(), "NotPerformed", "the lost import made no project; sent again");
        owner.tell(() -> lanes.queue(lane, new Send(row.target(), row.rowNo(), row.token(), 0, 0, row.source()), true));
    }

    /**
     * When an undecided lost answer is looked for again: after half its age so far (a project
     * made by it mostly shows at once, one made by nothing never does), between the first and
     * the longest listing interval, and once more as soon as its request's lifetime is over.
     */
    private long nextCheck(LostAnswer lost, long now) {
        long age = now - (lost.decidableAtNanos() - requestLifetimeMillis * 1_000_000L);
        long wait = Math.min(properties.maxPollInterval().toNanos(),
                Math.max(properties.pollInterval().toNanos(), age / 2));
        return Math.max(now, Math.min(now + wait, lost.decidableAtNanos()));
    }

    /** The list could not be read: lost answers past their deadline are left SUBMITTING for the next run. */
    List<LostAnswer> takeOverdue(Lane lane, long nowMillis) {
        List<LostAnswer> overdue = owner.ask(() -> lane.takeLost(l -> nowMillis >= awaiting.deadline(l.sentAtMillis())));
        unreconciled.addAndGet(overdue.size());
        return overdue;
    }

    /**
     * The lane's key is refused: its lost answers are left SUBMITTING for a run with a
     * working key, and each says so. The lane sends nothing more with that key (see Sender).
     */
    void leaveAll(Lane lane, ApiError error) {
        List<LostAnswer> lost = owner.ask(() -> lane.takeLost(l -> true));
        unreconciled.addAndGet(lost.size());
        String why = "the import's answer was lost, and the service now refuses the key (" + error.httpStatus() + " "
                + error.code() + "), so its project list cannot tell whether the project was made: set a working key"
                + " of the same resource and run the same command";
        for (LostAnswer each : lost) {
            rows.answerLost(each.rowNo(), clocks.millis(), new ApiError(error.httpStatus(), "KeyRefused", why));
            log.warn("row {} to {}: {}", each.rowNo(), lane, why);
        }
    }

    /**
     * On the owner's thread: where each lost answer's project can have been created, over the
     * whole lifetime of its request (a slow backend performs it after we stopped waiting).
     */
    private List<InDoubtMatcher.Window> windows(Lane lane, List<LostAnswer> lost, List<Project> unclaimed) {
        long skew = properties.clockSkew().toMillis();
        List<InDoubtMatcher.Window> windows = new ArrayList<>();
        for (LostAnswer l : lost) {
            long[] window = lane.creationWindow(l.sentAtMillis(), l.sentAtMillis() + requestLifetimeMillis, skew);
            windows.add(new InDoubtMatcher.Window(l.rowNo(), Instant.ofEpochMilli(window[0]),
                    Instant.ofEpochMilli(window[1]), listedSince(lane, unclaimed, l)));
        }
        return windows;
    }

    /**
     * On the owner's thread: the projects no listing showed before the import was sent, on the
     * monotonic clock alone, so that a clock the window misjudged cannot hide its project. Only
     * when a listing was made before the send (so those projects were made after it): none for
     * an import an earlier execution sent.
     */
    private static Set<String> listedSince(Lane lane, List<Project> unclaimed, LostAnswer lost) {
        if (lost.sentNanos() == Long.MIN_VALUE || lost.listedBeforeNanos() == Long.MIN_VALUE) {
            return Set.of();
        }
        return unclaimed.stream().map(Project::id)
                .filter(id -> lane.firstListedNanos(id) >= lost.sentNanos())
                .collect(Collectors.toSet());
    }

    /**
     * A listing for the lane's lost answers is being asked for: their slots are theirs for
     * another lease (no other run may take the resource while they are undecided).
     */
    void renewSlots(Lane lane) {
        List<LostAnswer> lost = owner.ask(lane::lostAnswers);
        lost.forEach(l -> rows.renewSlot(l.rowNo(), clocks.millis()));
    }

    /** The listing failed: the lost answers it was for are looked for again later, not at once. */
    void listingFailed(Lane lane) {
        long now = clocks.nanos();
        owner.tell(() -> lane.lostLookedForInVain(now, l -> l.checkAgainAt(nextCheck(l, now))));
    }

    /** The matcher only answers for the rows it was given: every one of them is a lost answer. */
    private static LostAnswer lostOf(Map<Long, LostAnswer> byRow, long rowNo) {
        return java.util.Objects.requireNonNull(byRow.get(rowNo), "row " + rowNo + " is no lost answer");
    }

    private void inDoubt(long rowNo, List<Project> candidates) {
        String ids = candidates.stream().map(Project::id).limit(20).collect(Collectors.joining(" "));
        log.warn("row {}: IN_DOUBT, the import may have made one of [{}]", rowNo, ids);
        rows.inDoubt(rowNo, "the import's answer was lost and another project was made on the same resource"
                + " within its request's lifetime; candidates: " + ids, ids);
    }
}
