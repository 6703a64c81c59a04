package io.cvimport.imports.feed;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;

import io.cvimport.customvision.TargetResource;
import io.cvimport.input.InputFile;
import io.cvimport.input.InputRow;
import io.cvimport.input.RowCursor;
import io.cvimport.input.RowJudge;
import io.cvimport.ledger.ClosedRows;
import io.cvimport.ledger.ImportLedger;
import io.cvimport.ledger.OpenRow;
import io.cvimport.ledger.ResourceLinks;
import io.cvimport.ledger.RowStatus;
import io.cvimport.imports.engine.ImportEngine;
import io.cvimport.scale.Partition;
import io.cvimport.imports.ImportProperties;

/**
 * The open rows the ledger has no offset or no target for (loaded by an older version, or
 * their key variable unset at load), read by streaming the input again (tokens and keys are
 * never stored) and handed to the engine in file order a batch at a time, each batch checked
 * first: once a row is found changed under the job nothing more is handed (the rest of the
 * input is only read to name every changed row). The input stays open across the step's rounds.
 * A partitioned import step's feed hands only the rows of its partition ({@link Partition}),
 * each row's target as {@link #targetOf} says.
 */
final class StreamFeed implements AutoCloseable {

    /** Rows read from the input per ledger query. */
    private static final int BATCH = 1000;
    private static final Set<RowStatus> OPEN = RowStatus.OPEN;

    private final RowCursor cursor;
    private final ImportLedger ledger;
    private final ResourceLinks resources;
    private final TargetIdentities identities;
    private final RowJudge judge;
    private final ClosedRows closed;
    private final ImportProperties properties;
    private final long instance;
    private final RowsLeftAlone leftAlone;
    private final Partition partition;
    private final Deque<HandedRow> batch = new ArrayDeque<>();
    private final WaitingRow waiting = new WaitingRow();
    private long last;
    private boolean done;

    StreamFeed(Path input, ImportLedger ledger, ResourceLinks resources, TargetIdentities identities, RowJudge judge,
            ClosedRows closed,
            ImportProperties properties, long instance, RowsLeftAlone leftAlone, Partition partition) {
        this.partition = partition;
        this.cursor = InputFile.open(input).rows();
        this.ledger = ledger;
        this.resources = resources;
        this.identities = identities;
        this.judge = judge;
        this.closed = closed;
        this.properties = properties;
        this.instance = instance;
        this.leftAlone = leftAlone;
    }

    /**
     * Hands rows to the engine until every row is handed or the step was asked to stop
     * (true), or until {@code untilNanos} passed while the engine's window was full (false).
     */
    boolean feed(ImportEngine engine, long untilNanos, BooleanSupplier stopped) throws InterruptedException {
        if (!waiting.handedFirst(engine, untilNanos)) {
            return false;
        }
        while (true) {
            while (!batch.isEmpty()) {
                if (stopped.getAsBoolean()) {
                    return true;
                }
                HandedRow next = batch.remove();
                if (!hand(engine, next, untilNanos)) {
                    waiting.keep(next);
                    return false;
                }
            }
            if (done || stopped.getAsBoolean() && !leftAlone.anyChanged()) {
                return true;
            }
            readBatch(engine);
        }
    }

    private void readBatch(ImportEngine engine) {
        SortedMap<Long, InputRow> rows = cursor.nextBatch(BATCH);
        if (rows.isEmpty()) {
            done = true;
            for (OpenRow gone : ledger.streamedRowsBetween(instance, last + 1, Long.MAX_VALUE, OPEN)) {
                if (partition.holds(gone.targetFp())) {
                    leftAlone.changed(gone.rowNo(), "it is no longer in the input");
                }
            }
            return;
        }
        last = rows.lastKey();
        for (OpenRow openRow : ledger.streamedRowsBetween(instance, rows.firstKey(), last, OPEN)) {
            if (!partition.holds(targetOf(openRow, rows.get(openRow.rowNo())))) {
                continue;
            }
            HandedRow handed = HandedRow.checked(judge, identities, openRow, rows.get(openRow.rowNo()), leftAlone);
            if (handed != null) {
                batch.add(handed);
            }
        }
        if (leftAlone.anyChanged()) {
            engine.stop();
            batch.clear();
        }
    }

    /**
     * The target that decides the row's partition: the ledger's once it has one (a key changed
     * to another key of the same resource keeps it there), else the one its key names now,
     * else none (partition 0's: its key variable still unset, or it is not a row any more).
     */
    private @Nullable String targetOf(OpenRow row, @Nullable InputRow read) {
        if (row.targetFp() != null || read == null) {
            return row.targetFp();
        }
        if (judge.resolveKey(read.key()).problem() != null) {
            return null;
        }
        return judge.target(read).map(TargetResource::fingerprint).orElse(null);
    }

    /** False when the row is to send and the window stayed full until {@code untilNanos}. */
    private boolean hand(ImportEngine engine, HandedRow handed, long untilNanos) throws InterruptedException {
        OpenRow row = handed.row();
        TargetResource target = handed.target();
        if (row.targetFp() == null && (row.tokenFp() == null || new TakenPairs(ledger, resources, closed,
                properties.reimport()).closeIfTaken(instance, row.rowNo(), row.status(), row.tokenFp(),
                        target.fingerprint(), "its key variable was resolved after load")
                || !closed.bindTarget(instance, row.rowNo(), target.fingerprint()))) {
            return true;
        }
        return handed.handTo(engine, untilNanos);
    }

    @Override
    public void close() {
        cursor.close();
    }
}
