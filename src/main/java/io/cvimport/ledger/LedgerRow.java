package io.cvimport.ledger;

import org.jspecify.annotations.Nullable;

/**
 * A row of the ledger as the load step first writes it.
 *
 * @param extras the input's extra column values, CSV-encoded, for the report
 * @param tokenFp     the row's identity: its token's fingerprint, or its source project's
 * @param inputOffset where the row's record starts in the input, in bytes
 * @param sourceRegion  the source project's region (API name), for a row that names one
 * @param sourceProject the source project's id, for a row that names one
 */
public record LedgerRow(long rowNo, RowStatus status, @Nullable String region, @Nullable String targetFp,
        @Nullable String tokenFp, @Nullable String projectId, @Nullable String errorCode, @Nullable String message,
        @Nullable String extras, @Nullable Long inputOffset, @Nullable String sourceRegion,
        @Nullable String sourceProject) {

    public LedgerRow(long rowNo, RowStatus status, @Nullable String region, @Nullable String targetFp,
            @Nullable String tokenFp, @Nullable String projectId, @Nullable String errorCode, @Nullable String message,
            @Nullable String extras, @Nullable Long inputOffset) {
        this(rowNo, status, region, targetFp, tokenFp, projectId, errorCode, message, extras, inputOffset, null, null);
    }

    public LedgerRow(long rowNo, RowStatus status, @Nullable String region, @Nullable String targetFp,
            @Nullable String tokenFp, @Nullable String projectId, @Nullable String errorCode, @Nullable String message,
            @Nullable String extras) {
        this(rowNo, status, region, targetFp, tokenFp, projectId, errorCode, message, extras, null);
    }

    /** The same row, its record at {@code offset} of the input. */
    public LedgerRow at(@Nullable Long offset) {
        return new LedgerRow(rowNo, status, region, targetFp, tokenFp, projectId, errorCode, message, extras, offset,
                sourceRegion, sourceProject);
    }

    /** The same row, naming its source project. */
    public LedgerRow from(@Nullable String region, @Nullable String project) {
        return new LedgerRow(rowNo, status, this.region, targetFp, tokenFp, projectId, errorCode, message, extras,
                inputOffset, region, project);
    }
}
