package io.cvimport.customvision;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/** The outcome of one API call. */
public sealed interface ApiResult<T> {

    /** The answer's Date header and when we sent and received, when the service sent one. */
    @Nullable ServerDate serverDate();

    /**
     * When the connection was ready and the request's first byte could leave (our clock),
     * or 0 if it never was: the service cannot have acted on the request before then.
     */
    long requestStartedAtMillis();

    record Ok<T>(T value, @Nullable ServerDate serverDate, long requestStartedAtMillis) implements ApiResult<T> {
        public Ok(T value) {
            this(value, null, 0);
        }
    }

    /**
     * @param retryAfter how long the service asked us to wait, when it said so
     */
    record Failed<T>(Failure failure, ApiError error, @Nullable Duration retryAfter, @Nullable ServerDate serverDate,
            long requestStartedAtMillis) implements ApiResult<T> {
        public Failed(Failure failure, ApiError error, @Nullable Duration retryAfter) {
            this(failure, error, retryAfter, null, 0);
        }
    }
}
