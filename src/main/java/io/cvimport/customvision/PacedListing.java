package io.cvimport.customvision;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GetProjects on one resource, sent again while it is throttled or fails: after the
 * service's {@code Retry-After} (else a doubling backoff), never sooner than the resource's
 * rate allows, at most {@code maxAttempts} times. A refusal (4xx) and a failure of the
 * environment (DNS, TLS, a proxy) are answered at once: sending them again changes nothing.
 */
public final class PacedListing {

    private static final Logger log = LoggerFactory.getLogger(PacedListing.class);
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

    private final CustomVisionApi client;
    private final int maxAttempts;
    private final Duration maxRetryAfter;
    private final AtomicLong calls = new AtomicLong();

    public PacedListing(CustomVisionApi client, int maxAttempts, Duration maxRetryAfter) {
        this.client = client;
        this.maxAttempts = maxAttempts;
        this.maxRetryAfter = maxRetryAfter;
    }

    /** The listing's last answer, with how many attempts it took. */
    public record Listing(ApiResult<List<Project>> result, int attempts) {
    }

    /** @param rate the resource's calls per second: attempts are at least this far apart */
    public Listing list(TargetResource resource, double rate) throws InterruptedException {
        Duration backoff = FIRST_BACKOFF;
        Duration spacing = Duration.ofNanos((long) (1_000_000_000L / rate));
        for (int attempt = 1;; attempt++) {
            calls.incrementAndGet();
            ApiResult<List<Project>> result = client.getProjects(resource.endpoint(), resource.key());
            if (!(result instanceof ApiResult.Failed<List<Project>> failed) || failed.failure() == Failure.TERMINAL
                    || failed.failure() == Failure.ENVIRONMENT || attempt >= maxAttempts) {
                return new Listing(result, attempt);
            }
            Duration wait = wait(failed.retryAfter(), backoff, spacing);
            log.info("listing of {} answered {}; again in {} ms", resource, failed.error().code(), wait.toMillis());
            Thread.sleep(wait.toMillis());
            backoff = backoff.multipliedBy(2);
        }
    }

    /**
     * A resource's projects in the order a whole source resource's projects take their places:
     * by creation, then by id, so that projects made later come after.
     */
    public static List<Project> inPlaceOrder(List<Project> projects) {
        return projects.stream().sorted(Comparator.comparing((Project p) -> p.created() == null ? Instant.MIN
                : p.created()).thenComparing(p -> p.id().toLowerCase(Locale.ROOT))).toList();
    }

    /** GetProjects calls made, retries included. */
    public long calls() {
        return calls.get();
    }

    private Duration wait(@Nullable Duration retryAfter, Duration backoff, Duration spacing) {
        Duration wanted = retryAfter == null ? backoff : retryAfter;
        if (wanted.compareTo(maxRetryAfter) > 0) {
            wanted = maxRetryAfter;
        }
        return wanted.compareTo(spacing) < 0 ? spacing : wanted;
    }
}
