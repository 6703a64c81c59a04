package io.cvimport.ledger;

import org.jspecify.annotations.Nullable;

/**
 * A row's final word, as the report shows it.
 *
 * @param resource the target resource the row's target belongs to (see {@link ResourceLinks})
 */
public record Outcome(long rowNo, RowStatus status, @Nullable String region, @Nullable String targetFp,
        @Nullable String tokenFp, @Nullable String projectId, @Nullable String errorCode, @Nullable String message,
        @Nullable String candidates, @Nullable String extras, @Nullable String resource) {
}
