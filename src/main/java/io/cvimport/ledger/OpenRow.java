package io.cvimport.ledger;

import org.jspecify.annotations.Nullable;

/**
 * A row the import step still has to work on, as the ledger has it.
 *
 * @param targetFp null while the row's key could not be resolved (its variable was unset at load)
 * @param inputOffset where its record starts in the input; null for rows an older version loaded
 * @param sourceProject the source project a source row names; for a project of a whole source
 *                      resource, the one project its row was given (its record names the resource)
 */
public record OpenRow(long rowNo, RowStatus status, @Nullable String targetFp, @Nullable String projectId,
        @Nullable Long sentAt, @Nullable Long answeredAt, int attempts, @Nullable String tokenFp,
        @Nullable Long inputOffset, @Nullable String sourceProject) {

    public OpenRow(long rowNo, RowStatus status, @Nullable String targetFp, @Nullable String projectId,
            @Nullable Long sentAt, @Nullable Long answeredAt, int attempts, @Nullable String tokenFp,
            @Nullable Long inputOffset) {
        this(rowNo, status, targetFp, projectId, sentAt, answeredAt, attempts, tokenFp, inputOffset, null);
    }

    public OpenRow(long rowNo, RowStatus status, @Nullable String targetFp, @Nullable String projectId,
            @Nullable Long sentAt, @Nullable Long answeredAt, int attempts, @Nullable String tokenFp) {
        this(rowNo, status, targetFp, projectId, sentAt, answeredAt, attempts, tokenFp, null);
    }

    /** Read at its offset and scheduled by target, rather than by streaming the input. */
    public boolean atOffset() {
        return inputOffset != null && targetFp != null;
    }
}
