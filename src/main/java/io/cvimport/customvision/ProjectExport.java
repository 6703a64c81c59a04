package io.cvimport.customvision;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

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
        String query;
        try {
            query = URI.create(token).getRawQuery();
        }
        catch (IllegalArgumentException notAUri) {
            return null;
        }
        if (query == null) {
            return null;
        }
        for (String part : query.split("&")) {
            if (part.startsWith("se=")) {
                try {
                    return Instant.parse(URLDecoder.decode(part.substring(3), StandardCharsets.UTF_8));
                }
                catch (DateTimeParseException | IllegalArgumentException unreadable) {
                    return null;
                }
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "ProjectExport[iterationCount=" + iterationCount + ", imageCount=" + imageCount + ", tagCount="
                + tagCount + ", regionCount=" + regionCount + ", estimatedImportTime=" + estimatedImportTime
                + ", token=" + Fingerprint.of(token) + ", expiry=" + expiry() + "]";
    }
}
