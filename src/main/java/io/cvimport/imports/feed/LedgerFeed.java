package io.cvimport.imports.feed;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import io.cvimport.customvision.TargetResource;
import io.cvimport.input.InputRow;
import io.cvimport.input.RecordAt;
import io.cvimport.input.RowJudge;
import io.cvimport.ledger.ImportLedger;
import io.cvimport.ledger.OpenRow;
import io.cvimport.ledger.RowStatus;
import io.cvimport.imports.engine.ImportEngine;
import io.cvimport.imports.lanes.QueuedRows;
import io.cvimport.scale.Partition;

/**
 * The open rows the load step recorded an offset and a target for, chosen from the ledger
 * rather than in the input's order: first the rows already sent (to reconcile or await), then
 * the rows to send, the targets taking turns, each holding at most its share of
 * {@code import.window} queued. So every target with rows to send is busy from the start,
 * however the file is ordered, and memory holds a share of rows per target, never the input.
 * <p>
 * A row is read at its offset only when it is about to be handed, and checked as a streamed
 * row is ({@link RowCheck}): once a row is found changed under the job nothing more is handed,
 * and every row still to send is read to name each changed one.
 */
final class LedgerFeed {

    /** Rows already sent, read from the ledger per query. */
    private static final int PAGE = 1000;
    /** A target's share of the window is never below this, so that its lane has its next row at hand. */
    static final int SHARE_FLOOR = 4;
    private static final Set<RowStatus> SENT = Set.of(RowStatus.SUBMITTING, RowStatus.IMPORTING, RowStatus.TIMED_OUT);
    private static final Set<RowStatus> TO_SEND = Set.of(RowStatus.PENDING);

    private final ImportLedger ledger;
    private final RecordAt records;
    private final RowJudge judge;
    private final TargetIdentities identities;
    private final int window;
    private final long instance;
    private final RowsLeftAlone leftAlone;
    private final Partition partition;
    private long sentAfter;
    private boolean sentDone;
    /** The targets with rows still to send, in turn; null until the sent rows are handed. */
    private @Nullable Deque<TargetRows> turns;
    /**
     * Rows found SUBMITTING, handed to be reconciled: one whose import was not performed goes
     * back to PENDING and is sent again by the engine itself, so the targets' pages skip it.
     * As many as the calls a run had on their way when it ended.
     */
    private final Set<Long> reconciled = new HashSet<>();
    private final WaitingRow waiting = new WaitingRow();

    LedgerFeed(ImportLedger ledger, RecordAt records, RowJudge judge, TargetIdentities identities, int window,
            long instance, RowsLeftAlone leftAlone) {
        this(ledger, records, judge, identities, window, instance, leftAlone, Partition.WHOLE);
    }

    LedgerFeed(ImportLedger ledger, RecordAt records, RowJudge judge, TargetIdentities identities, int window,
            long instance, RowsLeftAlone leftAlone, Partition partition) {
        this.ledger = ledger;
        this.partition = partition;
        this.records = records;
        this.judge = judge;
        this.identities = identities;
        this.window = window;
        this.instance = instance;
        this.leftAlone = leftAlone;
    }

    /**
     * Hands rows to the engine until every row is handed or the step was asked to stop
     * (true), or until {@code untilNanos} passed while the engine could take no row (false).
     */
    boolean feed(ImportEngine engine, long untilNanos, BooleanSupplier stopped) throws InterruptedException {
        if (!waiting.handedFirst(engine, untilNanos)) {
            return false;
        }
        while (!sentDone) {
            if (stopped.getAsBoolean() && !leftAlone.anyChanged()) {
                return true;
            }
            handSent(engine);
        }
        if (leftAlone.anyChanged()) {
            nameChanged(engine);
        }
        return handInTurns(engine, turns(), untilNanos, stopped);
    }

    /**
     * The rows to send, the targets taking turns, each within its share of the window; true once
     * every row is handed (or a stop or a changed input ended the feed), false when the window
     * stayed full until {@code untilNanos}.
     */
    private boolean handInTurns(ImportEngine engine, Deque<TargetRows> targets, long untilNanos,
            BooleanSupplier stopped) throws InterruptedException {
        while (!targets.isEmpty()) {
            if (stopped.getAsBoolean()) {
                return true;
            }
            int share = Math.max(SHARE_FLOOR, (window + targets.size() - 1) / targets.size());
            QueuedRows queued = engine.queued(targets.stream().map(t -> t.resource)
                    .filter(Objects::nonNull).collect(Collectors.toSet()));
            // A row handed, or left for a run that has its key variable: either way the turn moved on.
            boolean progressed = false;
            for (int turn = targets.size(); turn > 0 && !targets.isEmpty(); turn--) {
                switch (handOne(engine, targets, share, queued, untilNanos)) {
                    case CHANGED -> {
                        return true;
                    }
                    case FULL -> {
                        return false;
                    }
                    case HANDED -> progressed = true;
                    case PASSED -> {
                    }
                }
            }
            if (!progressed && !targets.isEmpty() && !engine.awaitTaken(queued, untilNanos)) {
                return false;
            }
        }
        return true;
    }

    /** What one target's turn came to. */
    private enum Turn {
        /** A row handed to the engine, or left for a run that has its key variable. */
        HANDED,
        /** Nothing this turn: the target's share is queued, or it has no row left. */
        PASSED,
        /** The input changed under the run: it stops here. */
        CHANGED,
        /** The engine's window stayed full until the round's end: the row waits for the next round. */
        FULL
    }

    /**
     * The first target's turn: its next row, read, judged and handed on, within its share of the
     * window ({@code queued}: each lane's rows as the round began, counting what it handed since).
     */
    private Turn handOne(ImportEngine engine, Deque<TargetRows> targets, int share,
            QueuedRows queued, long untilNanos) throws InterruptedException {
        TargetRows target = targets.remove();
        if (target.resource != null && queued.of(target.resource) >= share) {
            targets.add(target);
            return Turn.PASSED;
        }
        OpenRow row = target.next(share);
        if (row == null) {
            return Turn.PASSED;
        }
        targets.add(target);
        InputRow read = read(row);
        RowCheck.Result check = RowCheck.check(judge, identities, row, read);
        if (check instanceof RowCheck.Changed || read == null) {
            nameChanged(engine);
            return Turn.CHANGED;
        }
        if (check instanceof RowCheck.KeyUnavailable unavailable) {
            leftAlone.keyUnavailable(unavailable.variable());
            return Turn.HANDED;
        }
        HandedRow next = new HandedRow(row, read, ((RowCheck.Usable) check).target(),
                ((RowCheck.Usable) check).source());
        target.resource = next.target();
        if (!next.handTo(engine, untilNanos)) {
            waiting.keep(next);
            return Turn.FULL;
        }
        queued.handed(next.target());
        return Turn.HANDED;
    }

    /** The next page of rows already sent: each is reconciled or awaited, which never waits on the window. */
    private void handSent(ImportEngine engine) throws InterruptedException {
        List<OpenRow> page = ledger.rowsAtOffsets(instance, null, sentAfter, PAGE, SENT);
        if (page.isEmpty()) {
            sentDone = true;
            return;
        }
        for (OpenRow row : page) {
            sentAfter = row.rowNo();
            if (!partition.holds(row.targetFp())) {
                continue;
            }
            if (row.status() == RowStatus.SUBMITTING) {
                reconciled.add(row.rowNo());
            }
            HandedRow handed = checked(row);
            if (handed != null && !leftAlone.anyChanged()) {
                handed.handTo(engine, Long.MAX_VALUE);
            }
        }
        if (leftAlone.anyChanged()) {
            engine.stop();
        }
    }

    private Deque<TargetRows> turns() {
        if (turns == null) {
            Deque<TargetRows> targets = new ArrayDeque<>();
            for (String target : ledger.targetsAtOffsets(instance, TO_SEND)) {
                if (partition.holds(target)) {
                    targets.add(new TargetRows(target));
                }
            }
            turns = targets;
        }
        return turns;
    }

    /** The row as read at its offset, if it may be worked; why not is recorded. */
    private @Nullable HandedRow checked(OpenRow row) {
        return HandedRow.checked(judge, identities, row, read(row), leftAlone);
    }

    /**
     * The row's record, read at its offset (the ledger's query gave only rows with one); for a
     * project of a whole source resource, its record naming that one project.
     */
    private @Nullable InputRow read(OpenRow row) {
        Long offset = row.inputOffset();
        InputRow read = offset == null ? null : records.read(offset, row.rowNo());
        String project = row.sourceProject();
        return read == null || project == null || !read.source().wholeResource() ? read : read.forProject(project);
    }

    /**
     * The input changed under the job: nothing more is sent, and every row still to send is
     * read to name each changed one (the run then exits naming them).
     */
    private void nameChanged(ImportEngine engine) {
        engine.stop();
        turns = new ArrayDeque<>();
        long after = 0;
        List<OpenRow> page;
        while (!(page = ledger.rowsAtOffsets(instance, null, after, PAGE, TO_SEND)).isEmpty()) {
            for (OpenRow row : page) {
                after = row.rowNo();
                if (!partition.holds(row.targetFp())) {
                    continue;
                }
                InputRow read = read(row);
                if (RowCheck.check(judge, identities, row, read) instanceof RowCheck.Changed changed) {
                    leftAlone.changed(row.rowNo(), changed.why());
                }
            }
        }
    }

    /** One target's rows to send, a share at a time, in row order. */
    private final class TargetRows {

        private final String targetFp;
        private final Deque<OpenRow> page = new ArrayDeque<>();
        /** The target as read from the input, once one of its rows was: its lane's queue is looked at. */
        private @Nullable TargetResource resource;
        private long after;
        private boolean exhausted;

        TargetRows(String targetFp) {
            this.targetFp = targetFp;
        }

        /** Its next row to send (never one being reconciled), or null when it has none left. */
        @Nullable OpenRow next(int share) {
            while (true) {
                if (page.isEmpty()) {
                    if (exhausted) {
                        return null;
                    }
                    List<OpenRow> rows = ledger.rowsAtOffsets(instance, targetFp, after, share, TO_SEND);
                    exhausted = rows.size() < share;
                    page.addAll(rows);
                }
                OpenRow row = page.poll();
                if (row == null) {
                    return null;
                }
                after = row.rowNo();
                if (!reconciled.contains(row.rowNo())) {
                    return row;
                }
            }
        }
    }
}
