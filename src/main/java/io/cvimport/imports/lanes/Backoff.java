package io.cvimport.imports.lanes;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import io.cvimport.imports.ImportProperties;

/** How long a call refused before any work waits before it is tried again. */
public final class Backoff {

    private static final Duration DEFAULT_RETRY_WAIT = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private Backoff() {
    }

    /** As the service said (Retry-After), else doubling from 1 s; capped. */
    public static Duration waitBefore(int attempts, @Nullable Duration retryAfter, ImportProperties properties) {
        Duration wait = retryAfter != null ? retryAfter
                : DEFAULT_RETRY_WAIT.multipliedBy(1L << Math.min(attempts - 1, 5));
        wait = wait.compareTo(MAX_BACKOFF) > 0 && retryAfter == null ? MAX_BACKOFF : wait;
        return wait.compareTo(properties.maxRetryAfter()) > 0 ? properties.maxRetryAfter() : wait;
    }
}
