package io.cvimport.input;

import java.nio.file.Path;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

import io.cvimport.ledger.LoadedRows;

/**
 * The load step's reader. Its restart position is the ledger's, not the step's execution
 * context: every row read becomes a ledger row in the same chunk transaction, so the rows
 * the ledger holds say exactly how far the load got. The execution context can say more:
 * when a chunk fails after its position was put there (its commit refused, or the database
 * gone as the step records it), Spring Batch still records the step's context from memory
 * as the step ends, past the rows rolled back. A ledger with gaps below its last row (left
 * by a version that resumed from the context) has them filled: the reader then reads from
 * the first row and hands only the rows it lacks. The job's identity includes the file's
 * hash, so the file read on restart is the same.
 */
public class InputRowReader implements ItemStreamReader<InputRow> {

    private static final Logger log = LoggerFactory.getLogger(InputRowReader.class);
    /** Row numbers looked up at once while filling gaps. */
    private static final int LOOKUP = 1000;

    private final Path path;
    private final LoadedRows loaded;
    private @Nullable RowCursor cursor;
    /** Rows up to this one may be held already (only while filling gaps); after it none is. */
    private long heldUpTo;
    private long lookedUpTo;
    private Set<Long> held = Set.of();

    public InputRowReader(Path path, LoadedRows loaded) {
        this.path = path;
        this.loaded = loaded;
    }

    @Override
    public void open(ExecutionContext executionContext) {
        RowCursor rows = InputFile.open(path).rows();
        cursor = rows;
        long last = loaded.last();
        long count = loaded.count();
        if (count == last) {
            rows.skip(last);
            return;
        }
        log.warn("the ledger lacks {} of the rows up to row {} (left by an earlier version of this job): loading"
                + " them again", last - count, last);
        heldUpTo = last;
    }

    @Override
    public @Nullable InputRow read() {
        InputRow row = cursor().next();
        while (row != null && isHeld(row.number())) {
            row = cursor().next();
        }
        return row;
    }

    private boolean isHeld(long number) {
        if (number > heldUpTo) {
            return false;
        }
        if (number > lookedUpTo) {
            lookedUpTo = Math.min(heldUpTo, number + LOOKUP - 1);
            held = loaded.between(number, lookedUpTo);
        }
        return held.contains(number);
    }

    @Override
    public void close() {
        if (cursor != null) {
            cursor.close();
            cursor = null;
        }
    }

    private RowCursor cursor() {
        if (cursor == null) {
            throw new IllegalStateException("reader not open");
        }
        return cursor;
    }
}
