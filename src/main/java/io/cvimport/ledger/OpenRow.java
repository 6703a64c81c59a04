package io.cvimport.ledger;

import org.jspecify.annotations.Nullable;

/** A row the import step still has to work on, as the ledger has it. */
public record OpenRow(long rowNo, RowStatus status, String targetFp, @Nullable String projectId,
        @Nullable Long sentAt, @Nullable Long answeredAt, int attempts) {
}
