package io.cvimport.ledger;

import org.jspecify.annotations.Nullable;

/**
 * A row of the ledger as the load step first writes it.
 *
 * @param extras the input's extra column values, CSV-encoded, for the report
 */
public record LedgerRow(long rowNo, RowStatus status, @Nullable String region, @Nullable String targetFp,
        @Nullable String tokenFp, @Nullable String projectId, @Nullable String errorCode, @Nullable String message,
        @Nullable String extras) {
}
