package io.cvimport.customvision;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/** The outcome of one API call. */
public sealed interface ApiResult<T> {

    record Ok<T>(T value) implements ApiResult<T> {
    }

    /**
     * @param retryAfter how long the service asked us to wait, when it said so
     */
    record Failed<T>(Failure failure, ApiError error, @Nullable Duration retryAfter) implements ApiResult<T> {
    }
}
