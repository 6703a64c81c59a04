package io.cvimport.ledger;

import org.jspecify.annotations.Nullable;

/**
 * A row of the ledger as the load step first writes it.
 *
 * @param extras the input's extra column values, CSV-encoded, for the report
 * @param inputOffset where the row's record starts in the input, in bytes
 */
public record LedgerRow(long rowNo, RowStatus status, @Nullable String region, @Nullable String targetFp,
        @Nullable String tokenFp, @Nullable String projectId, @Nullable String errorCode, @Nullable String message,
        @Nullable String extras, @Nullable Long inputOffset) {

    public LedgerRow(long rowNo, RowStatus status, @Nullable String region, @Nullable String targetFp,
            @Nullable String tokenFp, @Nullable String projectId, @Nullable String errorCode, @Nullable String message,
            @Nullable String extras) {
        this(rowNo, status, region, targetFp, tokenFp, projectId, errorCode, message, extras, null);
    }

    /** The same row, its record at {@code offset} of the input. */
    public LedgerRow at(@Nullable Long offset) {
        return new LedgerRow(rowNo, status, region, targetFp, tokenFp, projectId, errorCode, message, extras, offset);
    }
}
