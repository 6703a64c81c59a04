package io.cvimport.input;

import java.nio.file.Path;

import org.jspecify.annotations.Nullable;
import org.springframework.batch.infrastructure.item.support.AbstractItemCountingItemStreamItemReader;

/**
 * The load step's reader. Its restart state is the count of rows read, kept under the
 * reader's name: on restart it skips that many records of the same file (the job's
 * identity includes the file's hash, so the file is the same).
 */
public class InputRowReader extends AbstractItemCountingItemStreamItemReader<InputRow> {

    private final Path path;
    private @Nullable RowCursor cursor;

    public InputRowReader(Path path) {
        this.path = path;
        setName("inputRows");
    }

    @Override
    protected void doOpen() {
        cursor = InputFile.open(path).rows();
    }

    @Override
    protected @Nullable InputRow doRead() {
        return cursor().next();
    }

    @Override
    protected void jumpToItem(int itemIndex) {
        cursor().skip(itemIndex);
    }

    @Override
    protected void doClose() {
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
