package io.cvimport.ledger;

import org.jspecify.annotations.Nullable;

/** A row's final word, as the report shows it. */
public record Outcome(long rowNo, RowStatus status, @Nullable String region, @Nullable String targetFp,
        @Nullable String tokenFp, @Nullable String projectId, @Nullable String errorCode, @Nullable String message,
        @Nullable String candidates, @Nullable String extras) {
}
