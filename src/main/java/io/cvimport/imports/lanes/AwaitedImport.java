package io.cvimport.imports.lanes;

import org.jspecify.annotations.Nullable;

import io.cvimport.ledger.ExportedCounts;

/**
 * An import the service accepted, awaited until its status leaves Importing: TIMED_OUT
 * at this run's deadline, FAILED past the give-up time (counted from its sending, over all runs).
 *
 * @param sentNanos    when it was sent, on the monotonic clock (MIN_VALUE when an earlier run sent it)
 * @param source       whether the row names its source project (its import is verified)
 * @param estimateNanos how long its export said the import takes, at most the import timeout; 0 when none did
 * @param exported     the counts its export announced in this run; null for a token row, or when an
 *                     earlier run exported it (the ledger keeps them)
 */
public record AwaitedImport(long rowNo, String projectId, long deadlineMillis, long giveUpMillis, long sentNanos,
        boolean source, long estimateNanos, @Nullable ExportedCounts exported) {
}
