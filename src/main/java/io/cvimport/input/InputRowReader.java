package io.cvimport.input;

import java.nio.file.Path;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * The load step's reader. Its restart position is the ledger's, not the step's execution
 * context: every row read becomes a ledger row in the same chunk transaction, so the last
 * row number recorded says exactly how far the load got. The execution context can say
 * more: when a chunk fails after its position was put there (its commit refused, or the
 * database gone as the step records it), Spring Batch still records the step's context
 * from memory as the step ends, past the rows rolled back. The job's identity includes
 * the file's hash, so the file read on restart is the same.
 */
public class InputRowReader implements ItemStreamReader<InputRow> {

    private final Path path;
    private final LongSupplier rowsRecorded;
    private @Nullable RowCursor cursor;

    /**
     * @param rowsRecorded the number of the last row the ledger holds for this job instance
     */
    public InputRowReader(Path path, LongSupplier rowsRecorded) {
        this.path = path;
        this.rowsRecorded = rowsRecorded;
    }

    @Override
    public void open(ExecutionContext executionContext) {
        RowCursor rows = InputFile.open(path).rows();
        cursor = rows;
        rows.skip(rowsRecorded.getAsLong());
    }

    @Override
    public @Nullable InputRow read() {
        return cursor().next();
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
