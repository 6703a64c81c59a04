package io.cvimport.ledger;

import org.jspecify.annotations.Nullable;

/**
 * A row's final word, as the report shows it.
 *
 * @param resource the target resource the row's target belongs to (see {@link ResourceLinks})
 * @param source   its source project, export counts and verification; {@link SourceFacts#NONE} for a token row
 */
public record Outcome(long rowNo, RowStatus status, @Nullable String region, @Nullable String targetFp,
        @Nullable String tokenFp, @Nullable String projectId, @Nullable String errorCode, @Nullable String message,
        @Nullable String candidates, @Nullable String extras, @Nullable String resource, SourceFacts source) {

    public Outcome(long rowNo, RowStatus status, @Nullable String region, @Nullable String targetFp,
            @Nullable String tokenFp, @Nullable String projectId, @Nullable String errorCode, @Nullable String message,
            @Nullable String candidates, @Nullable String extras, @Nullable String resource) {
        this(rowNo, status, region, targetFp, tokenFp, projectId, errorCode, message, candidates, extras, resource,
                SourceFacts.NONE);
    }

    /** The input's row, as the report and the summary name it: for a project of a whole source resource, "3.7". */
    public String rowName() {
        Long inputRow = source.inputRow();
        return inputRow == null ? String.valueOf(rowNo) : inputRow + "." + source.place();
    }

    /** The input's row number (for a project of a whole source resource, the row that named the resource). */
    public long inputRow() {
        Long inputRow = source.inputRow();
        return inputRow == null ? rowNo : inputRow;
    }
}
