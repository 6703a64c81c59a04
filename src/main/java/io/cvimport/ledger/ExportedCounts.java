package io.cvimport.ledger;

/** What an export of a source project said of it, as the ledger keeps it (never its token). */
public record ExportedCounts(int iterations, int images, int tags, int regions, long estimatedImportMillis) {
}
