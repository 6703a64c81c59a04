package io.cvimport.customvision;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * ExportProject's answer: the source project's counts, the service's estimate of its
 * import and the token that imports it. The token grants that import to whoever holds
 * it: {@link #toString()} shows its fingerprint only.
 *
 * @param estimatedImportTime the service's {@code estimatedImportTimeInMS}
 */
public record ProjectExport(int iterationCount, int imageCount, int tagCount, int regionCount,
        Duration estimatedImportTime, String token) {

    /** The token's {@code se=} (a SAS URL's signed expiry), when it has a readable one. */
    public @Nullable Instant expiry() {
        return SasExpiry.of(token);
    }

    @Override
    public String toString() {
        return "ProjectExport[iterationCount=" + iterationCount + ", imageCount=" + imageCount + ", tagCount="
                + tagCount + ", regionCount=" + regionCount + ", estimatedImportTime=" + estimatedImportTime
                + ", token=" + Fingerprint.of(token) + ", expiry=" + expiry() + "]";
    }
}
