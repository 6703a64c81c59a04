package io.cvimport.plan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cvimport.customvision.ApiResult;
import io.cvimport.customvision.CustomVisionClient;
import io.cvimport.customvision.Failure;
import io.cvimport.customvision.Project;
import io.cvimport.customvision.TargetResource;

/**
 * One GetProjects per target resource, whatever the number of rows: through its first
 * target, or through the next one when a key is refused (each refused key is one call).
 * Resources are listed side by side, each by one call at a time, so no resource sees more
 * than one call in flight; a throttled or failed listing is sent again after the service's
 * {@code Retry-After} (else a doubling backoff), never sooner than the resource's rate allows,
 * at most {@code import.max-attempts} times, as a run's listing is.
 */
final class ResourceListings {

    private static final Logger log = LoggerFactory.getLogger(ResourceListings.class);
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

    private final CustomVisionClient client;
    private final int concurrency;
    private final int maxAttempts;
    private final Duration maxRetryAfter;
    private final AtomicLong calls = new AtomicLong();

    ResourceListings(CustomVisionClient client, int concurrency, int maxAttempts, Duration maxRetryAfter) {
        this.client = client;
        this.concurrency = concurrency;
        this.maxAttempts = maxAttempts;
        this.maxRetryAfter = maxRetryAfter;
    }

    /** A resource to list: its targets in order of first use, and its rate (calls per second). */
    record Resource(String id, List<TargetResource> targets, double rate) {
    }

    /** @return the check of every target of these resources, by target fingerprint */
    Map<String, TargetCheck> list(List<Resource> resources) throws InterruptedException {
        Map<String, TargetCheck> checks = new HashMap<>();
        if (resources.isEmpty()) {
            return checks;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(concurrency, resources.size()), r -> {
            Thread thread = new Thread(r, "plan-listing");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Map<String, TargetCheck>>> listings = new ArrayList<>();
            for (Resource resource : resources) {
                listings.add(pool.submit(() -> list(resource)));
            }
            for (Future<Map<String, TargetCheck>> listing : listings) {
                checks.putAll(listing.get());
            }
            return checks;
        }
        catch (ExecutionException e) {
            throw new IllegalStateException("a listing failed: " + e.getCause(), e.getCause());
        }
        finally {
            pool.shutdownNow();
        }
    }

    /** GetProjects calls made, retries included. */
    long calls() {
        return calls.get();
    }

    private Map<String, TargetCheck> list(Resource resource) throws InterruptedException {
        Map<String, TargetCheck> checks = new HashMap<>();
        TargetCheck.Listed listed = null;
        for (TargetResource target : resource.targets()) {
            if (listed != null) {
                // One listing per resource: its other targets (a rotated key, a custom subdomain) share it.
                checks.put(target.fingerprint(), listed);
                continue;
            }
            TargetCheck check = list(target, resource.rate());
            checks.put(target.fingerprint(), check);
            if (check instanceof TargetCheck.Listed ok) {
                listed = ok;
            }
        }
        return checks;
    }

    private TargetCheck list(TargetResource target, double rate) throws InterruptedException {
        Duration backoff = FIRST_BACKOFF;
        Duration spacing = Duration.ofNanos((long) (1_000_000_000L / rate));
        for (int attempt = 1;; attempt++) {
            calls.incrementAndGet();
            ApiResult<List<Project>> result = client.getProjects(target.endpoint(), target.key());
            if (result instanceof ApiResult.Ok<List<Project>> ok) {
                return new TargetCheck.Listed(ok.value().stream()
                        .map(project -> project.id().toLowerCase(Locale.ROOT)).collect(Collectors.toSet()));
            }
            ApiResult.Failed<List<Project>> failed = (ApiResult.Failed<List<Project>>) result;
            String said = failed.error().code() + ": " + failed.error().message();
            if (failed.failure() == Failure.TERMINAL) {
                return new TargetCheck.Refused(failed.error().code(), failed.error().message());
            }
            if (failed.failure() == Failure.ENVIRONMENT || attempt >= maxAttempts) {
                return new TargetCheck.Unchecked("the project list of " + target + " failed"
                        + (attempt > 1 ? " " + attempt + " times" : "") + " (" + said + ")");
            }
            Duration wait = wait(failed.retryAfter(), backoff, spacing);
            log.info("listing of {} answered {}; again in {} ms", target, failed.error().code(), wait.toMillis());
            Thread.sleep(wait.toMillis());
            backoff = backoff.multipliedBy(2);
        }
    }

    private Duration wait(@Nullable Duration retryAfter, Duration backoff, Duration spacing) {
        Duration wanted = retryAfter == null ? backoff : retryAfter;
        if (wanted.compareTo(maxRetryAfter) > 0) {
            wanted = maxRetryAfter;
        }
        return wanted.compareTo(spacing) < 0 ? spacing : wanted;
    }
}
