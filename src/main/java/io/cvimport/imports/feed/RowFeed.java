package io.cvimport.imports.feed;

import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import io.cvimport.input.InputFile;
import io.cvimport.input.RecordAt;
import io.cvimport.input.RowJudge;
import io.cvimport.ledger.ClosedRows;
import io.cvimport.ledger.ImportLedger;
import io.cvimport.ledger.ResourceLinks;
import io.cvimport.ledger.RowStatus;
import io.cvimport.scale.Partition;
import io.cvimport.imports.engine.ImportEngine;
import io.cvimport.imports.ImportProperties;

/**
 * The rows the ledger still has open, handed to the engine: those with an offset and a
 * target chosen from the ledger target by target ({@link LedgerFeed}), then those the input
 * must be streamed for ({@link StreamFeed}: loaded by an older version, or their key variable
 * unset at load). In that order: a row the stream binds to its target has an offset and a
 * target from then on, and the ledger's feed is done by then, so no row is handed twice.
 */
public final class RowFeed implements AutoCloseable {

    private final LedgerFeed atOffsets;
    private final Supplier<@Nullable StreamFeed> streaming;
    private @Nullable StreamFeed streamed;
    private boolean offsetsFed;

    public RowFeed(Path input, ImportLedger ledger, ResourceLinks resources, TargetIdentities identities, RowJudge judge,
            ClosedRows closed, ImportProperties properties, long instance, RowsLeftAlone leftAlone) {
        this(input, ledger, resources, identities, judge, closed, properties, instance, leftAlone, Partition.WHOLE);
    }

    /** The rows of one partition's targets ({@link Partition#WHOLE}: every row). */
    public RowFeed(Path input, ImportLedger ledger, ResourceLinks resources, TargetIdentities identities, RowJudge judge,
            ClosedRows closed, ImportProperties properties, long instance, RowsLeftAlone leftAlone, Partition partition) {
        this.atOffsets = new LedgerFeed(ledger, new RecordAt(InputFile.open(input)), judge, identities,
                properties.window(), instance, leftAlone, partition);
        // The input is streamed only when some open row needs it.
        this.streaming = () -> ledger.anyStreamed(instance, RowStatus.OPEN)
                ? new StreamFeed(input, ledger, resources, identities, judge, closed, properties, instance, leftAlone,
                        partition)
                : null;
    }

    /**
     * Hands rows to the engine until every row is handed or the step was asked to stop
     * (true), or until {@code untilNanos} passed while the engine's window was full (false).
     */
    public boolean feed(ImportEngine engine, long untilNanos, BooleanSupplier stopped) throws InterruptedException {
        if (!offsetsFed) {
            if (!atOffsets.feed(engine, untilNanos, stopped)) {
                return false;
            }
            offsetsFed = true;
            streamed = streaming.get();
        }
        StreamFeed stream = streamed;
        return stream == null || stream.feed(engine, untilNanos, stopped);
    }

    @Override
    public void close() {
        if (streamed != null) {
            streamed.close();
        }
    }
}
