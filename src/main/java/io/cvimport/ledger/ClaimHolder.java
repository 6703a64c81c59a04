package io.cvimport.ledger;

import org.jspecify.annotations.Nullable;

/** The row that holds a token's claim on a resource, as the ledger has it now. */
public record ClaimHolder(long instance, long rowNo, RowStatus status, @Nullable String projectId) {
}
