package io.cvimport.ledger;

import org.jspecify.annotations.Nullable;

/**
 * What the ledger knows of a source row's project: its source, the last export's counts
 * and estimate, and whether the imported project was verified. All null for a token row.
 *
 * @param estimatedImportMillis ExportProject's {@code estimatedImportTimeInMS}
 * @param verified              whether the imported project's counts matched the export's; null if not checked
 * @param inputRow              for a project of a whole source resource: the input's row that named the resource
 * @param place                 and the project's place among that resource's projects (1, 2, ...)
 */
public record SourceFacts(@Nullable String sourceRegion, @Nullable String sourceProject, @Nullable Integer iterations,
        @Nullable Integer images, @Nullable Integer tags, @Nullable Integer regions,
        @Nullable Long estimatedImportMillis, @Nullable Boolean verified, @Nullable Long inputRow,
        @Nullable Integer place) {

    public static final SourceFacts NONE = new SourceFacts(null, null, null, null, null, null, null, null);

    public SourceFacts(@Nullable String sourceRegion, @Nullable String sourceProject, @Nullable Integer iterations,
            @Nullable Integer images, @Nullable Integer tags, @Nullable Integer regions,
            @Nullable Long estimatedImportMillis, @Nullable Boolean verified) {
        this(sourceRegion, sourceProject, iterations, images, tags, regions, estimatedImportMillis, verified, null,
                null);
    }
}
