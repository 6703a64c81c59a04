package io.cvimport.input;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One data record of the input as read, before any judgement.
 *
 * @param number  1-based data record number (header excluded, blank lines not counted)
 * @param extras  the values of the columns beyond the ones the job reads, in header order
 * @param problem why the record cannot be used as it stands, if the reader saw it
 * @param offset  where the record starts in the file, in bytes, when the reader knows it
 * @param source  the source project it names instead of a token, if any ({@link SourceColumns#NONE} if none)
 */
public record InputRow(long number, String token, String region, String key, List<String> extras,
        @Nullable String problem, @Nullable Long offset, SourceColumns source) {

    public InputRow(long number, String token, String region, String key, List<String> extras,
            @Nullable String problem) {
        this(number, token, region, key, extras, problem, null);
    }

    public InputRow(long number, String token, String region, String key, List<String> extras,
            @Nullable String problem, @Nullable Long offset) {
        this(number, token, region, key, extras, problem, offset, SourceColumns.NONE);
    }

    /**
     * A row that names a whole source resource, as one of its projects: the row the import
     * step works for each project the expansion gave a ledger row of its own.
     */
    public InputRow forProject(String projectId) {
        return new InputRow(number, token, region, key, extras, problem, offset, source.project(projectId));
    }

    @Override
    public String toString() {
        return "InputRow[" + number + "]";
    }
}
