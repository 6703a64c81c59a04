package io.cvimport.imports.lanes;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * What one listing of a lane showed, for the owner to apply once it is over
 * ({@link ResourceLanes#listed}).
 *
 * @param changed         it settled or decided something: the next listing comes soon
 * @param retryAfter      the service throttled it: the lane waits this long
 * @param identified      it showed which resource the lane's target reaches
 * @param discoveryFailed the lane's first listing failed: its resource is still unknown
 * @param resource        the resource its projects linked the lane to; null when they told none
 */
public record ListingEnd(boolean changed, @Nullable Duration retryAfter, boolean identified, boolean discoveryFailed,
        @Nullable String resource) {
}
