package io.cvimport.ledger;

import org.jspecify.annotations.Nullable;

/**
 * A row the import step still has to work on, as the ledger has it.
 *
 * @param targetFp null while the row's key could not be resolved (its variable was unset at load)
 */
public record OpenRow(long rowNo, RowStatus status, @Nullable String targetFp, @Nullable String projectId,
        @Nullable Long sentAt, @Nullable Long answeredAt, int attempts, @Nullable String tokenFp) {
}
