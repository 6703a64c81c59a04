package io.cvimport.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.cvimport.customvision.ApiResult;
import io.cvimport.customvision.ProjectCount;
import io.cvimport.ledger.ExportedCounts;

/**
 * An imported project compared with its export: its images (tagged plus untagged) with the
 * export's {@code imageCount}, its tags with {@code tagCount}, its iterations with
 * {@code iterationCount}. Regions have no count read in v3.2: the verdict says so when the
 * export announced some. A mismatch makes the project unverified ({@code false}) with the counts
 * found; a read that failed leaves it unchecked ({@code null}) unless another count already
 * disagrees, and the verdict names the reads that failed.
 */
public final class ImportedContents {

    private ImportedContents() {
    }

    /**
     * @param verified true when every count read matched, false when one did not, null when a
     *                 read failed and none disagreed
     * @param message  what was found; null when there is nothing to say (all matched, no region)
     */
    public record Verdict(@Nullable Boolean verified, @Nullable String message) {
    }

    /** Compares the reads (one answer per {@link ProjectCount}) with the export. */
    public static Verdict compare(ExportedCounts export, Map<ProjectCount, ApiResult<Integer>> reads) {
        List<String> mismatches = new ArrayList<>();
        List<String> unread = new ArrayList<>();
        Integer tagged = read(reads, ProjectCount.TAGGED_IMAGES, unread);
        Integer untagged = read(reads, ProjectCount.UNTAGGED_IMAGES, unread);
        if (tagged != null && untagged != null && tagged + untagged != export.images()) {
            mismatches.add((tagged + untagged) + " images (" + tagged + " tagged, " + untagged
                    + " untagged) where its export had " + export.images());
        }
        Integer tags = read(reads, ProjectCount.TAGS, unread);
        if (tags != null && tags != export.tags()) {
            mismatches.add(tags + " tags where its export had " + export.tags());
        }
        Integer iterations = read(reads, ProjectCount.ITERATIONS, unread);
        if (iterations != null && iterations != export.iterations()) {
            mismatches.add(iterations + " iterations where its export had " + export.iterations());
        }
        List<String> notes = new ArrayList<>();
        if (!unread.isEmpty()) {
            notes.add("not read: " + String.join(", ", unread));
        }
        if (export.regions() > 0) {
            notes.add("its " + export.regions() + " regions were not compared (Training API v3.2 has no count"
                    + " of them)");
        }
        String noted = notes.isEmpty() ? "" : String.join("; ", notes);
        if (!mismatches.isEmpty()) {
            return new Verdict(false, "verified=false: the imported project has " + String.join(", ", mismatches)
                    + (noted.isEmpty() ? "" : "; " + noted));
        }
        if (!unread.isEmpty()) {
            return new Verdict(null, "not verified: " + noted);
        }
        return new Verdict(true, noted.isEmpty() ? null : "verified: images, tags and iterations as exported; "
                + noted);
    }

    private static @Nullable Integer read(Map<ProjectCount, ApiResult<Integer>> reads, ProjectCount what,
            List<String> unread) {
        ApiResult<Integer> result = reads.get(what);
        if (result instanceof ApiResult.Ok<Integer> ok) {
            return ok.value();
        }
        unread.add(what.operation() + (result instanceof ApiResult.Failed<Integer> failed
                ? " (" + failed.error().code() + ")" : ""));
        return null;
    }
}
