package io.cvimport.imports.settling;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cvimport.customvision.ApiError;
import io.cvimport.customvision.ApiResult;
import io.cvimport.customvision.CustomVisionApi;
import io.cvimport.customvision.Failure;
import io.cvimport.customvision.Project;
import io.cvimport.customvision.TargetResource;
import io.cvimport.customvision.ProjectStatus;
import io.cvimport.ledger.ResourceLinks;
import io.cvimport.imports.lanes.CallContext;
import io.cvimport.imports.lanes.CallCounts;
import io.cvimport.imports.lanes.CallsDue;
import io.cvimport.imports.lanes.Clocks;
import io.cvimport.imports.lanes.EnvironmentStops;
import io.cvimport.imports.lanes.Lane;
import io.cvimport.imports.lanes.LaneOwner;
import io.cvimport.imports.lanes.ListingEnd;
import io.cvimport.imports.lanes.ResourceLanes;
import io.cvimport.ledger.RowRecorder;
import io.cvimport.imports.lanes.Backoff;
import io.cvimport.imports.lanes.AwaitedImport;
import io.cvimport.imports.lanes.Lister;
import io.cvimport.imports.lanes.LostAnswer;
import io.cvimport.imports.lanes.Send;
import io.cvimport.imports.ImportProperties;

/**
 * One listing of a lane's projects: it tells the lane's resource, settles the imports the
 * lane awaits, has its lost answers reconciled, expires what is overdue when the list
 * cannot be read, and gives the lane up when its key is refused.
 */
public final class Settler {

    private static final Logger log = LoggerFactory.getLogger(Settler.class);

    private final CustomVisionApi client;
    private final RowRecorder rows;
    private final ResourceLinks resources;
    private final LaneOwner owner;
    private final ResourceLanes lanes;
    private final EnvironmentStops environment;
    private final Awaiting awaiting;
    private final LostAnswers lostAnswers;
    private final CallsDue due;
    private final ImportProperties properties;
    private final Clocks clocks;
    private final CallCounts counts;

    public Settler(CustomVisionApi client, CallContext context, ResourceLinks resources, EnvironmentStops environment,
            Awaiting awaiting, LostAnswers lostAnswers, CallsDue due) {
        this.client = client;
        this.rows = context.rows();
        this.resources = resources;
        this.owner = context.owner();
        this.lanes = context.lanes();
        this.environment = environment;
        this.awaiting = awaiting;
        this.lostAnswers = lostAnswers;
        this.due = due;
        this.properties = context.properties();
        this.clocks = context.clocks();
        this.counts = context.counts();
    }

    /** What a listing showed, gathered as it goes; the owner applies it to its lane once it is over. */
    private static final class Listing {
        boolean changed;
        @Nullable Duration retryAfter;
        boolean identified;
        boolean discoveryFailed;
        @Nullable String resource;

        ListingEnd end() {
            return new ListingEnd(changed, retryAfter, identified, discoveryFailed, resource);
        }
    }

    public void list(Lane lane, boolean reconcile) {
        Listing listing = new Listing();
        try {
            read(lane, reconcile, listing);
        }
        catch (RuntimeException e) {
            owner.fail(e);
        }
        finally {
            List<Send> unsent = owner.ask(() -> lanes.listed(lane, listing.end(), due));
            for (Send send : unsent) {
                counts.unsent();
                rows.backToPending(send.rowNo(), "ProjectsUnreadable", "not sent: the target's project list"
                        + " could not be read after " + properties.maxAttempts() + " attempts; the next run sends it");
            }
            if (!unsent.isEmpty()) {
                log.warn("{}: the project list could not be read after {} attempts; {} rows left pending", lane,
                        properties.maxAttempts(), unsent.size());
            }
        }
    }

    private void read(Lane lane, boolean reconcile, Listing listing) {
        counts.listed();
        if (reconcile) {
            lostAnswers.renewSlots(lane);
        }
        // What the listing starts from, as the owner has it: only this listing of the lane changes it meanwhile.
        Lister lister = owner.ask(lane::lister);
        long listedFrom = clocks.nanos();
        ApiResult<List<Project>> result = client.getProjects(lister.target().endpoint(), lister.target().key());
        long receivedAt = clocks.millis();
        owner.tell(() -> lane.observe(result));
        if (result instanceof ApiResult.Ok<List<Project>> ok) {
            owner.tell(() -> lane.listingAnswered(listedFrom, ok.value(), receivedAt));
            Map<String, Project> byId = ok.value().stream()
                    .collect(Collectors.toMap(Project::id, p -> p, (a, b) -> a, HashMap::new));
            listing.resource = learnResource(lane, byId.keySet(), clocks.nanos());
            listing.identified = true;
            listing.changed = settleAwaited(lane, byId);
            if (reconcile) {
                listing.changed |= lostAnswers.reconcile(lane, ok.value(), listedFrom);
            }
        }
        else {
            listingFailed(lane, lister, (ApiResult.Failed<List<Project>>) result, listing);
        }
    }

    /** The listing was refused or not answered: what that leaves the lane. */
    private void listingFailed(Lane lane, Lister lister, ApiResult.Failed<List<Project>> failed, Listing listing) {
        if (failed.error().httpStatus() == 429) {
            counts.throttled();
            listing.retryAfter = Backoff.waitBefore(1, failed.retryAfter(), properties);
            // A first listing throttled past import.max-attempts leaves the rows pending, as any.
            listing.discoveryFailed = !lister.identified();
        }
        else if (failed.failure() == Failure.TERMINAL && !owner.ask(() -> lane.refuseListingKey(failed.error()))) {
            giveUpOn(lane, failed.error());
            listing.changed = true;
            // The key is refused: its rows end REJECTED with the refusal, without a send (see Sender).
            listing.identified = true;
        }
        else if (failed.failure() == Failure.ENVIRONMENT) {
            // Also before the target's first listing: an untrusted certificate is the
            // environment's failure, told once with its remedy, not a listing to retry.
            long now = clocks.nanos();
            owner.tell(() -> environment.failed(lane, failed.error(), lanes, now));
        }
        else if (!lister.identified()) {
            listing.discoveryFailed = true;
            listing.retryAfter = Backoff.waitBefore(lister.discoveryFailures() + 1, failed.retryAfter(), properties);
        }
        if (failed.failure() != Failure.TERMINAL) {
            lostAnswers.listingFailed(lane);
            listing.changed = expireOverdue(lane, failed.error());
        }
        // The environment's failures (TLS trust, DNS, proxy) are told once, with their remedy, at the run's end.
        log.info("listing the projects of {} failed: {}", lane, failed.failure() == Failure.ENVIRONMENT
                ? failed.error().code() : failed.error().describe());
    }

    /** Links the lane's target to the resource whose projects it lists; the resource it then belongs to. */
    private @Nullable String learnResource(Lane lane, Set<String> projectIds, long receivedNanos) {
        List<String> unseen = owner.ask(() -> lane.firstListed(projectIds, receivedNanos));
        return unseen.isEmpty() ? null : resources.learn(lane.fingerprint(), unseen);
    }

    private boolean settleAwaited(Lane lane, Map<String, Project> byId) {
        List<AwaitedImport> awaited = owner.ask(lane::awaitedImports);
        boolean changed = false;
        long now = clocks.millis();
        for (AwaitedImport each : awaited) {
            Project project = byId.get(each.projectId());
            if (project == null) {
                project = fetch(lane, each);
                if (project == null) {
                    changed |= expire(lane, each, now, "its project could not be looked up");
                    continue;
                }
            }
            if (project.status() == ProjectStatus.IMPORTING && now >= each.giveUpMillis()) {
                // Its claim stays: the project may still succeed, so the token is not sent there again.
                rows.stuck(each.rowNo(), project.id(), "stuck Importing: still Importing "
                        + properties.giveUpAfter() + " after it was sent (import.give-up-after)");
            }
            else if (project.status() == ProjectStatus.IMPORTING && now < each.deadlineMillis()) {
                continue;
            }
            else if (project.status() == ProjectStatus.IMPORTING) {
                rows.timedOut(each.rowNo(), project.id(),
                        "still Importing after " + properties.timeout() + "; the next run waits again");
            }
            else {
                long seenAt = clocks.nanos();
                owner.tell(() -> due.seenDone(lane, each, seenAt));
                awaiting.settle(lane, each, project);
            }
            owner.tell(() -> lane.settled(each.projectId()));
            changed = true;
        }
        return changed;
    }

    /**
     * The project list could not be read: the import deadline still holds. Awaited rows
     * past it end TIMED_OUT with their project id; rows whose answer was lost are left as
     * they are (SUBMITTING: the next run reconciles them), and the run fails, resumably.
     */
    private boolean expireOverdue(Lane lane, ApiError error) {
        long now = clocks.millis();
        List<AwaitedImport> awaited = owner.ask(lane::awaitedImports);
        boolean changed = false;
        for (AwaitedImport each : awaited) {
            changed |= expire(lane, each, now, "the project list could not be read (" + error.httpStatus() + " "
                    + error.code() + ")");
        }
        List<LostAnswer> overdue = lostAnswers.takeOverdue(lane, now);
        changed |= !overdue.isEmpty();
        for (LostAnswer each : overdue) {
            log.warn("row {} to {}: its answer was lost and the project list could not be read before the deadline;"
                    + " left for the next run", each.rowNo(), lane);
        }
        return changed;
    }

    private boolean expire(Lane lane, AwaitedImport each, long now, String why) {
        boolean due = now >= each.deadlineMillis() && owner.ask(() -> lane.settled(each.projectId()));
        if (!due) {
            return false;
        }
        rows.timedOut(each.rowNo(), each.projectId(),
                "not seen to leave Importing within " + properties.timeout() + ": " + why + "; the next run waits again");
        return true;
    }

    /** GetProject, for a project the listing did not show. Null: not known yet. */
    private @Nullable Project fetch(Lane lane, AwaitedImport awaited) {
        try {
            owner.awaitBudget(lane);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        counts.fetched();
        TargetResource target = owner.ask(lane::listingTarget);
        ApiResult<Project> result = client.getProject(target.endpoint(), target.key(), awaited.projectId());
        owner.tell(() -> lane.observe(result));
        if (result instanceof ApiResult.Ok<Project> ok) {
            return ok.value();
        }
        ApiResult.Failed<Project> failed = (ApiResult.Failed<Project>) result;
        if (failed.failure() == Failure.TERMINAL) {
            rows.failed(awaited.rowNo(), awaited.projectId(), failed.error());
            owner.tell(() -> lane.settled(awaited.projectId()));
        }
        return null;
    }

    /**
     * The target refuses its listing (key revoked, resource gone): what it awaits cannot be
     * told in this run.
     */
    private void giveUpOn(Lane lane, ApiError error) {
        List<AwaitedImport> awaited = owner.ask(lane::takeAwaited);
        for (AwaitedImport each : awaited) {
            rows.timedOut(each.rowNo(), each.projectId(), error);
        }
        // A lost answer is left SUBMITTING: a listing with a working key (the same command, once
        // the key is fixed) still tells whether its import made a project.
        lostAnswers.leaveAll(lane, error);
    }
}
