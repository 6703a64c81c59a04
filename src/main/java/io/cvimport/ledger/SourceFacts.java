package io.cvimport.ledger;

import org.jspecify.annotations.Nullable;

/**
 * What the ledger knows of a source row's project: its source, the last export's counts
 * and estimate, and whether the imported project was verified. All null for a token row.
 *
 * @param estimatedImportMillis ExportProject's {@code estimatedImportTimeInMS}
 * @param verified              whether the imported project's tag count matched the export's; null if not checked
 */
public record SourceFacts(@Nullable String sourceRegion, @Nullable String sourceProject, @Nullable Integer iterations,
        @Nullable Integer images, @Nullable Integer tags, @Nullable Integer regions,
        @Nullable Long estimatedImportMillis, @Nullable Boolean verified) {

    public static final SourceFacts NONE = new SourceFacts(null, null, null, null, null, null, null, null);
}
