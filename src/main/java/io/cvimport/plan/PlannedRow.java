package io.cvimport.plan;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One input row as the plan sees it. Holds fingerprints only, never a key or a token.
 *
 * @param resource      the target resource (see {@code ResourceLinks}); null when the target is unknown
 * @param expiry        the token's {@code se=}, when it has one
 * @param estimatedSend when a run started now would send it, for rows that would be sent
 * @param source        the source resource's fingerprint and the project a source row exports, else null
 * @param place         for a project of a whole source resource (whose row is {@code rowNo}): its place there
 */
record PlannedRow(long rowNo, @Nullable String region, @Nullable String targetFp, @Nullable String tokenFp,
        @Nullable String resource, Verdict verdict, @Nullable String code, @Nullable String reason,
        @Nullable Instant expiry, @Nullable Instant estimatedSend, @Nullable String extras,
        @Nullable SourceRef source, @Nullable Integer place) {

    PlannedRow(long rowNo, @Nullable String region, @Nullable String targetFp, @Nullable String tokenFp,
            @Nullable String resource, Verdict verdict, @Nullable String code, @Nullable String reason,
            @Nullable Instant expiry, @Nullable Instant estimatedSend, @Nullable String extras,
            @Nullable SourceRef source) {
        this(rowNo, region, targetFp, tokenFp, resource, verdict, code, reason, expiry, estimatedSend, extras, source,
                null);
    }

    /** A source row's source: its resource (by fingerprint) and its project id, lower case. */
    record SourceRef(String resourceFp, String projectId) {
    }

    PlannedRow judged(Verdict verdict, @Nullable String code, @Nullable String reason,
            @Nullable Instant estimatedSend) {
        return new PlannedRow(rowNo, region, targetFp, tokenFp, resource, verdict, code, reason, expiry,
                estimatedSend, extras, source, place);
    }
}
