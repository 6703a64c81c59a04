package io.cvimport.imports;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cvimport.customvision.ApiError;
import io.cvimport.customvision.Project;
import io.cvimport.customvision.SourceProject;
import io.cvimport.customvision.TargetResource;

/**
 * Imports whose answer was lost, decided from the target's project list: the project made
 * in the import's window is adopted when the match is unambiguous; several candidates
 * leave the row IN_DOUBT; none means the import was never performed, and it is sent again.
 */
final class LostAnswers {

    private static final Logger log = LoggerFactory.getLogger(LostAnswers.class);

    private final RowRecorder rows;
    private final LaneMonitor monitor;
    private final ResourceLanes lanes;
    private final Awaiting awaiting;
    private final ImportProperties properties;
    private final Clocks clocks;
    private final CallCounts counts;
    /** The longest a request can live on the wire (connect, then wait for the answer). */
    private final long requestLifetimeMillis;
    /** Rows sent whose project could not be looked up before their deadline: left as they are. */
    private final AtomicInteger unreconciled = new AtomicInteger();

    LostAnswers(RowRecorder rows, LaneMonitor monitor, ResourceLanes lanes, Awaiting awaiting, ImportProperties properties, Clocks clocks,
            CallCounts counts, long requestLifetimeMillis) {
        this.rows = rows;
        this.monitor = monitor;
        this.lanes = lanes;
        this.awaiting = awaiting;
        this.properties = properties;
        this.clocks = clocks;
        this.counts = counts;
        this.requestLifetimeMillis = requestLifetimeMillis;
    }

    /**
     * A lost answer of an earlier execution. Without a recorded loss (the process died), the
     * request lived at most its lifetime on the wire: what it can have made was made by then.
     */
    Lane.Lost of(TargetResource target, long rowNo, String token, @Nullable SourceProject source, long sentAtMillis,
            @Nullable Long lostAtMillis) {
        long lostAt = lostAtMillis != null ? Math.min(lostAtMillis, sentAtMillis + requestLifetimeMillis)
                : sentAtMillis + requestLifetimeMillis;
        return new Lane.Lost(rowNo, token, target, sentAtMillis, lostAt, source);
    }

    int unreconciled() {
        return unreconciled.get();
    }

    /** Decides the lane's lost answers from its project list; true (the listing changed the lane). */
    boolean reconcile(Lane lane, List<Project> projects) {
        List<Lane.Lost> lost = monitor.locked(() -> List.copyOf(lane.lost));
        Set<String> awaitedIds = monitor.locked(() -> new HashSet<>(lane.awaited.keySet()));
        Set<String> claimed = rows.claimed(projects.stream().map(Project::id).toList());
        List<Project> unclaimed = projects.stream()
                .filter(p -> !claimed.contains(p.id()) && !awaitedIds.contains(p.id()))
                .toList();
        long skew = properties.clockSkew().toMillis();
        List<InDoubtMatcher.Window> windows = new ArrayList<>();
        Map<Long, long[]> lifetimes = new HashMap<>();
        monitor.locked(() -> {
            for (Lane.Lost l : lost) {
                long[] window = lane.creationWindow(l.sentAtMillis(), l.lostAtMillis(), skew);
                long[] lifetime = lane.creationWindow(l.sentAtMillis(), l.sentAtMillis() + requestLifetimeMillis,
                        skew);
                lifetimes.put(l.rowNo(), lifetime);
                windows.add(new InDoubtMatcher.Window(l.rowNo(), Instant.ofEpochMilli(window[0]),
                        Instant.ofEpochMilli(window[1])));
            }
        });
        InDoubtMatcher.Result match = InDoubtMatcher.match(windows, unclaimed);
        Map<Long, Lane.Lost> byRow = lost.stream().collect(Collectors.toMap(Lane.Lost::rowNo, l -> l));
        match.adopted().forEach((rowNo, project) -> {
            counts.adopted();
            log.info("row {}: adopted project {} on {}, made by the import whose answer was lost", rowNo,
                    project.id(), lane);
            Lane.Lost answer = lostOf(byRow, rowNo);
            awaiting.accepted(lane, rowNo, project, answer.sentAtMillis(), clocks.millis(), answer.source() != null,
                    null);
        });
        match.ambiguous().forEach(this::inDoubt);
        for (long rowNo : match.noCandidate()) {
            Lane.Lost row = lostOf(byRow, rowNo);
            // A project created after all the request could have done is someone else's.
            long[] lifetime = Objects.requireNonNull(lifetimes.get(rowNo), "a lifetime per lost answer");
            List<Project> later = unclaimed.stream().filter(p -> p.created() == null
                    || !p.created().isBefore(Instant.ofEpochMilli(lifetime[0]))
                            && !p.created().isAfter(Instant.ofEpochMilli(lifetime[1]))).toList();
            if (later.isEmpty()) {
                // Nothing the import could have made exists: it was never performed.
                log.info("row {}: no project appeared on {} after its lost answer; sending it again", rowNo, lane);
                rows.backToPending(rowNo, "NotPerformed", "the lost import made no project; sent again");
                monitor.locked(() -> lanes.queue(lane, new Lane.Send(row.target(), rowNo, row.token(), 0, 0,
                        row.source()), true));
            }
            else {
                inDoubt(rowNo, later);
            }
        }
        monitor.locked(() -> lane.lost.removeAll(lost));
        return true;
    }

    /** The list could not be read: lost answers past their deadline are left SUBMITTING for the next run. */
    List<Lane.Lost> takeOverdue(Lane lane, long nowMillis) {
        return monitor.locked(() -> {
            List<Lane.Lost> overdue = lane.lost.stream()
                    .filter(l -> nowMillis >= awaiting.deadline(l.sentAtMillis())).toList();
            lane.lost.removeAll(overdue);
            unreconciled.addAndGet(overdue.size());
            return overdue;
        });
    }

    /** The lane's listing is refused: its lost answers are left SUBMITTING for a run with a working key. */
    void leaveAll(Lane lane, ApiError error) {
        List<Lane.Lost> lost = monitor.locked(() -> {
            List<Lane.Lost> all = List.copyOf(lane.lost);
            lane.lost.clear();
            unreconciled.addAndGet(all.size());
            return all;
        });
        for (Lane.Lost each : lost) {
            log.warn("row {} to {}: its answer was lost and the project list is refused ({}); left for the next run",
                    each.rowNo(), lane, error.code());
        }
    }

    private void inDoubt(long rowNo, List<Project> candidates) {
        String ids = candidates.stream().map(Project::id).limit(20).collect(Collectors.joining(" "));
        log.warn("row {}: IN_DOUBT, the import may have made one of [{}]", rowNo, ids);
        rows.inDoubt(rowNo, "the import's answer was lost and its project cannot be told apart; candidates: "
                + (ids.isEmpty() ? "none" : ids), ids.isEmpty() ? null : ids);
    }

    /** The matcher only answers for the rows it was given: every one of them is a lost answer. */
    private static Lane.Lost lostOf(Map<Long, Lane.Lost> byRow, long rowNo) {
        return Objects.requireNonNull(byRow.get(rowNo), "row " + rowNo + " is no lost answer");
    }
}
