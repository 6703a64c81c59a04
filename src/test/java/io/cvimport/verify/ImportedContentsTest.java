package io.cvimport.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cvimport.customvision.ApiError;
import io.cvimport.customvision.ApiResult;
import io.cvimport.customvision.Failure;
import io.cvimport.customvision.ProjectCount;
import io.cvimport.ledger.ExportedCounts;

/** An imported project's counts against its export's: what matches, what differs, what could not be read. */
class ImportedContentsTest {

    static final ExportedCounts EXPORT = new ExportedCounts(2, 10, 3, 0, 5000);

    static Map<ProjectCount, ApiResult<Integer>> reads(int tagged, int untagged, int tags, int iterations) {
        Map<ProjectCount, ApiResult<Integer>> reads = new EnumMap<>(ProjectCount.class);
        reads.put(ProjectCount.TAGGED_IMAGES, ok(tagged));
        reads.put(ProjectCount.UNTAGGED_IMAGES, ok(untagged));
        reads.put(ProjectCount.TAGS, ok(tags));
        reads.put(ProjectCount.ITERATIONS, ok(iterations));
        return reads;
    }

    static ApiResult<Integer> ok(int value) {
        return new ApiResult.Ok<>(value, null, 0);
    }

    static ApiResult<Integer> failed(String code) {
        return new ApiResult.Failed<>(Failure.RETRYABLE, new ApiError(503, code, "unavailable"), null, null, 0);
    }

    @Test
    void everyCountAsExportedIsVerifiedWithNothingToSay() {
        assertThat(ImportedContents.compare(EXPORT, reads(7, 3, 3, 2)))
                .isEqualTo(new ImportedContents.Verdict(true, null));
    }

    @Test
    void imagesAreTaggedPlusUntaggedAndEachMismatchIsNamedWithWhatWasFound() {
        ImportedContents.Verdict verdict = ImportedContents.compare(EXPORT, reads(6, 3, 2, 1));
        assertThat(verdict.verified()).isFalse();
        assertThat(verdict.message()).isEqualTo("verified=false: the imported project has 9 images (6 tagged,"
                + " 3 untagged) where its export had 10, 2 tags where its export had 3, 1 iterations where its export"
                + " had 2");
        assertThat(ImportedContents.compare(EXPORT, reads(10, 0, 3, 2)).verified()).as("the split is the service's")
                .isTrue();
    }

    @Test
    void aReadThatFailedLeavesTheProjectUncheckedUnlessAnotherCountDiffers() {
        Map<ProjectCount, ApiResult<Integer>> reads = reads(7, 3, 3, 2);
        reads.put(ProjectCount.ITERATIONS, failed("ServiceUnavailable"));
        assertThat(ImportedContents.compare(EXPORT, reads)).isEqualTo(new ImportedContents.Verdict(null,
                "not verified: not read: GetIterations (ServiceUnavailable)"));
        reads.put(ProjectCount.TAGS, ok(4));
        assertThat(ImportedContents.compare(EXPORT, reads)).isEqualTo(new ImportedContents.Verdict(false,
                "verified=false: the imported project has 4 tags where its export had 3; not read: GetIterations"
                        + " (ServiceUnavailable)"));
    }

    @Test
    void regionsHaveNoCountReadAndTheVerdictSaysSo() {
        ImportedContents.Verdict verdict = ImportedContents.compare(new ExportedCounts(2, 10, 3, 6, 0),
                reads(7, 3, 3, 2));
        assertThat(verdict).isEqualTo(new ImportedContents.Verdict(true, "verified: images, tags and iterations as"
                + " exported; its 6 regions were not compared (Training API v3.2 has no count of them)"));
    }
}
