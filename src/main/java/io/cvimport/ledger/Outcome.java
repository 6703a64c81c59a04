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
}
