package io.cvimport.plan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.cvimport.customvision.ApiResult;
import io.cvimport.customvision.CustomVisionClient;
import io.cvimport.customvision.Failure;
import io.cvimport.customvision.PacedListing;
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

    private final PacedListing paced;
    private final int concurrency;

    ResourceListings(CustomVisionClient client, int concurrency, int maxAttempts, Duration maxRetryAfter) {
        this.paced = new PacedListing(client, maxAttempts, maxRetryAfter);
        this.concurrency = concurrency;
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
        return paced.calls();
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
        PacedListing.Listing listing = paced.list(target, rate);
        if (listing.result() instanceof ApiResult.Ok<List<Project>> ok) {
            List<String> inOrder = PacedListing.inPlaceOrder(ok.value()).stream()
                    .map(project -> project.id().toLowerCase(Locale.ROOT)).toList();
            return new TargetCheck.Listed(Set.copyOf(inOrder), inOrder);
        }
        ApiResult.Failed<List<Project>> failed = (ApiResult.Failed<List<Project>>) listing.result();
        if (failed.failure() == Failure.TERMINAL) {
            return new TargetCheck.Refused(failed.error().code(), failed.error().message());
        }
        return new TargetCheck.Unchecked("the project list of " + target + " failed"
                + (listing.attempts() > 1 ? " " + listing.attempts() + " times" : "") + " ("
                + failed.error().code() + ": " + failed.error().message() + ")");
    }
}
