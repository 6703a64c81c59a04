package io.cvimport.imports;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cvimport.customvision.ApiError;
import io.cvimport.customvision.ApiResult;
import io.cvimport.customvision.CustomVisionClient;
import io.cvimport.customvision.Failure;
import io.cvimport.customvision.Project;
import io.cvimport.customvision.ProjectStatus;
import io.cvimport.customvision.TargetResource;
import io.cvimport.ledger.ImportLedger;
import io.cvimport.ledger.ResourceLinks;
import io.cvimport.ledger.RowStatus;
import io.cvimport.ledger.Submission;

/**
 * Runs one job execution's imports: rows are fed in input order and spread over
 * per-resource lanes; a fixed pool of workers takes whichever lane may make a call next
 * (its rate budget allows it and it has a row to send or a listing due), so every target
 * works at its own rate at once and no thread waits on one slow target.
 * <p>
 * The ledger is written before each import leaves ({@code SUBMITTING}) and as soon as its
 * answer arrives, so a crash at any instant leaves rows that are either provably unsent,
 * known by project id, or reconciled from the target's project list by the next run.
 */
public final class ImportEngine {

    private static final Logger log = LoggerFactory.getLogger(ImportEngine.class);
    /** Longer than this between marking a row SUBMITTING and sending it, and the fence is read again. */
    private static final long PAUSE_MILLIS = 1000;
    private static final long MIN_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final Duration DEFAULT_RETRY_WAIT = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final CustomVisionClient client;
    private final ImportLedger ledger;
    private final ResourceLinks resources;
    private final long instance;
    private final ImportProperties properties;
    /** The longest a request can live on the wire (connect, then wait for the answer). */
    private final long requestLifetimeMillis;
    private final EnvironmentStops environment = new EnvironmentStops();
    private final long startMillis = System.currentTimeMillis();
    private final ResourceLanes lanes;
    private final List<Lane> order;
    private final ClaimWaits claimWaits;
    private final CallCounts counts;
    private final ExecutorService workers;
    private int cursor;
    private int queued;
    private int workersLeft;
    private int unreconciled;
    private boolean feedingDone;
    private boolean stopping;
    private @Nullable RuntimeException failure;

    public ImportEngine(CustomVisionClient client, ImportLedger ledger, ResourceLinks resources, long instance,
            ImportProperties properties, MeterRegistry meters) {
        this.client = client;
        this.counts = new CallCounts(meters);
        this.ledger = ledger;
        this.resources = resources;
        this.instance = instance;
        this.properties = properties;
        this.requestLifetimeMillis = client.requestLifetime().toMillis();
        this.lanes = new ResourceLanes(resources, properties);
        this.order = lanes.order;
        this.claimWaits = new ClaimWaits(ledger, instance, properties, counts, new ClaimWaits.Queues() {
            @Override
            public void requeue(Lane lane, Lane.Send send) {
                ImportEngine.this.requeue(lane, send);
            }

            @Override
            public void hold(Lane lane, Lane.Send send) {
                ImportEngine.this.hold(lane, send);
            }
        });
        this.workers = Executors.newFixedThreadPool(properties.concurrency(), new WorkerThreads());
        this.workersLeft = properties.concurrency();
        for (int i = 0; i < properties.concurrency(); i++) {
            workers.execute(this::work);
        }
    }

    // ---- feeding, from the step's thread

    /** Queues a row to send; blocks while the window of rows held in memory is full. */
    public synchronized void send(TargetResource target, long rowNo, String token, int attempts)
            throws InterruptedException {
        while (queued >= properties.window() && !stopping) {
            wait();
        }
        if (stopping) {
            return;
        }
        Lane lane = lane(target);
        if (lane.stoppedBecause != null) {
            return; // the row stays PENDING for the next run
        }
        lane.queue.add(new Lane.Send(target, rowNo, token, attempts, 0));
        queued++;
        notifyAll();
    }

    /** Awaits a project an earlier execution submitted (IMPORTING, or TIMED_OUT and given another chance). */
    public synchronized void await(TargetResource target, long rowNo, String projectId, long sentAtMillis) {
        Lane lane = lane(target);
        if (lane.stoppedBecause == null) {
            lane.awaited.put(projectId, new Lane.Awaited(rowNo, projectId, deadline(sentAtMillis),
                    giveUp(sentAtMillis)));
        }
        notifyAll();
    }

    /**
     * Reconciles a row an earlier execution recorded as sent without learning its project.
     * Without a recorded loss (the process died), the request lived at most its lifetime
     * on the wire: what it can have made was made by then, never later.
     */
    public synchronized void reconcile(TargetResource target, long rowNo, String token, long sentAtMillis,
            @Nullable Long lostAtMillis) {
        Lane lane = lane(target);
        long lostAt = lostAtMillis != null ? Math.min(lostAtMillis, sentAtMillis + requestLifetimeMillis)
                : sentAtMillis + requestLifetimeMillis;
        if (lane.stoppedBecause == null) {
            lane.lost.add(new Lane.Lost(rowNo, token, target, sentAtMillis, lostAt));
        }
        notifyAll();
    }

    public synchronized void feedingDone() {
        feedingDone = true;
        notifyAll();
    }

    /** Stops at the next boundary: nothing new is sent, calls in progress are recorded. */
    public synchronized void stop() {
        stopping = true;
        notifyAll();
    }

    /**
     * Stops and waits for the calls in progress to be recorded: no worker of this engine
     * writes to the ledger after this returns (a failed feed must not leave it running
     * beside the next engine on the same ledger).
     */
    public void close() throws InterruptedException {
        stop();
        synchronized (this) {
            while (workersLeft > 0) {
                wait();
            }
        }
        workers.shutdown();
    }

    /** Waits until every fed row is settled (or the engine stopped); logs progress meanwhile. */
    public void awaitCompletion(Duration progressEvery, Runnable progress) throws InterruptedException {
        synchronized (this) {
            long next = System.nanoTime() + progressEvery.toNanos();
            while (workersLeft > 0) {
                long left = next - System.nanoTime();
                if (left <= 0) {
                    progress.run();
                    next = System.nanoTime() + progressEvery.toNanos();
                    continue;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
        workers.shutdown();
        if (failure != null) {
            throw failure;
        }
    }

    public CallCounts counts() {
        return counts;
    }

    /** One line per cause that made the engine stop sending to targets, with its remedy; empty if none. */
    public List<String> environmentFailures() {
        return environment.lines();
    }

    public synchronized String state() {
        int sending = 0;
        int awaited = 0;
        int lost = 0;
        int held = 0;
        for (Lane lane : order) {
            held += lane.held.size();
            sending += lane.sending;
            awaited += lane.awaited.size();
            lost += lane.lost.size();
        }
        return "queued=" + queued + " sending=" + sending + " awaiting=" + awaited + " lostAnswers=" + lost
                + (held == 0 ? "" : " waitingOnOtherRuns=" + held) + " resources=" + order.size();
    }

    private Lane lane(TargetResource target) {
        return lanes.of(target);
    }

    private long deadline(long sentAtMillis) {
        return Math.max(sentAtMillis, startMillis) + properties.timeout().toMillis();
    }

    /** When a project still Importing is given up; an unknown sending time gives no such time. */
    private long giveUp(long sentAtMillis) {
        return sentAtMillis <= 0 ? Long.MAX_VALUE : sentAtMillis + properties.giveUpAfter().toMillis();
    }

    /** Rows sent whose project could not be looked up before their deadline: left as they are. */
    public synchronized int unreconciled() {
        return unreconciled;
    }

    // ---- the workers

    private void work() {
        try {
            Runnable task;
            while ((task = next()) != null) {
                task.run();
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        finally {
            synchronized (this) {
                workersLeft--;
                notifyAll();
            }
        }
    }

    /** The next call any lane may make now, waiting until one may; null when all is done. */
    private synchronized @Nullable Runnable next() throws InterruptedException {
        while (true) {
            if (finished()) {
                notifyAll();
                return null;
            }
            long now = System.nanoTime();
            long nowMillis = System.currentTimeMillis();
            long wake = now + TimeUnit.SECONDS.toNanos(1);
            for (int i = 0; i < order.size(); i++) {
                Lane lane = order.get((cursor + i) % order.size());
                if (lane.stoppedBecause != null) {
                    continue;
                }
                if (lane.pausedUntilNanos > now) {
                    wake = Math.min(wake, lane.pausedUntilNanos);
                    continue;
                }
                if (!stopping && !lane.held.isEmpty() && !lane.checkingHeld && now >= lane.heldCheckNanos) {
                    // Looking at other runs' claims costs no call: no budget taken.
                    lane.checkingHeld = true;
                    cursor = (cursor + i + 1) % order.size();
                    return () -> recheckHeld(lane);
                }
                boolean reconcileDue = reconcileDue(lane, nowMillis);
                boolean discover = !lane.identified && !lane.queue.isEmpty();
                // While a lane still has rows to send, its listings would only spend its budget
                // early: it lists at the longest interval until its queue is empty.
                // Lost answers are settled as soon as the lane is quiet: its sends wait for it.
                boolean pollDue = !stopping && !lane.polling && (discover || reconcileDue || now >= lane.nextPollNanos
                        && !lane.awaited.isEmpty() && (lane.queue.isEmpty()
                                || now - lane.lastPollNanos >= properties.maxPollInterval().toNanos()));
                // Rows whose answers were lost hold their lane's sends back until the listing
                // has settled them, so that the listing is not confused by imports in flight.
                boolean sendDue = !stopping && lane.identified && !lane.queue.isEmpty() && !lostWaiting(lane, nowMillis);
                if (!pollDue && !sendDue) {
                    long pollAt = pollTime(lane, now, nowMillis);
                    if (pollAt != Long.MAX_VALUE) {
                        wake = Math.min(wake, Math.max(pollAt, now + MIN_WAIT_NANOS));
                    }
                    continue;
                }
                if (!lane.bucket.tryConsume(1)) {
                    wake = Math.min(wake, now + Math.max(MIN_WAIT_NANOS,
                            lane.bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill()));
                    continue;
                }
                cursor = (cursor + i + 1) % order.size();
                if (pollDue) {
                    lane.polling = true;
                    lane.lastPollNanos = now;
                    boolean reconcile = reconcileDue && lane.identified;
                    return () -> poll(lane, reconcile);
                }
                Lane.Send send = lane.queue.poll();
                queued--;
                lane.sending++;
                notifyAll();
                return () -> send(lane, send);
            }
            TimeUnit.NANOSECONDS.timedWait(this, Math.max(MIN_WAIT_NANOS, wake - now));
        }
    }

    /**
     * When a lane that neither sends nor lists now will have a listing due (on the nanoTime
     * scale), or MAX_VALUE if only an event (a call ending, a row fed) can make it due.
     */
    private long pollTime(Lane lane, long now, long nowMillis) {
        if (stopping || lane.polling) {
            return Long.MAX_VALUE;
        }
        long at = Long.MAX_VALUE;
        if (!lane.awaited.isEmpty()) {
            at = lane.queue.isEmpty() ? lane.nextPollNanos
                    : Math.max(lane.nextPollNanos, lane.lastPollNanos + properties.maxPollInterval().toNanos());
        }
        if (!lane.held.isEmpty() && !lane.checkingHeld) {
            at = Math.min(at, lane.heldCheckNanos);
        }
        if (!lane.lost.isEmpty() && lane.sending == 0) {
            long readyMillis = lane.lost.stream().mapToLong(Lane.Lost::lostAtMillis).min().getAsLong()
                    + properties.inDoubtGrace().toMillis();
            at = Math.min(at, now + TimeUnit.MILLISECONDS.toNanos(readyMillis - nowMillis));
        }
        return at;
    }

    private boolean finished() {
        if (failure != null || stopping) {
            return order.stream().allMatch(lane -> lane.sending == 0 && !lane.polling && !lane.checkingHeld);
        }
        return feedingDone && order.stream().allMatch(Lane::idle);
    }

    private boolean lostWaiting(Lane lane, long nowMillis) {
        return !lane.lost.isEmpty() && lane.lost.stream()
                .anyMatch(lost -> nowMillis - lost.lostAtMillis() >= properties.inDoubtGrace().toMillis());
    }

    private boolean reconcileDue(Lane lane, long nowMillis) {
        return lane.sending == 0 && lostWaiting(lane, nowMillis);
    }

    // ---- one import

    private void send(Lane lane, Lane.Send send) {
        long rowNo = send.rowNo();
        try {
            long sentAt = System.currentTimeMillis();
            Submission submission = ledger.markSubmitting(instance, rowNo, sentAt, properties.resendInDoubt());
            if (submission.heldBy() != null) {
                claimWaits.held(lane, send, submission.heldBy());
                return;
            }
            if (!submission.mayBeSent()) {
                log.debug("row {} is no longer pending; not sent", rowNo);
                return;
            }
            if (System.currentTimeMillis() - sentAt > PAUSE_MILLIS) {
                // This thread was held up (a frozen VM, a pause): another run may have taken the
                // lock over meanwhile. Throws, leaving the row SUBMITTING for that run to reconcile.
                ledger.checkFence();
            }
            counts.imported();
            ApiResult<Project> result = client.importProject(send.target().endpoint(), send.target().key(),
                    send.token());
            long answeredAt = System.currentTimeMillis();
            observe(lane, result);
            // The service cannot have acted before the request could leave: a later start narrows the window.
            long leftAt = Math.max(sentAt, result.requestStartedAtMillis());
            if (result instanceof ApiResult.Ok<Project> ok) {
                accepted(lane, rowNo, ok.value(), leftAt, answeredAt);
            }
            else if (result instanceof ApiResult.Failed<Project> failed) {
                switch (failed.failure()) {
                    case TERMINAL -> finish(rowNo, RowStatus.REJECTED, null, failed.error(), null);
                    case RETRYABLE -> retry(lane, send, failed);
                    case UNCERTAIN -> answerLost(lane, send, leftAt, answeredAt, failed.error());
                    case ENVIRONMENT -> environmentFailed(lane, send, failed.error());
                }
            }
        }
        catch (RuntimeException e) {
            fail(e);
        }
        finally {
            synchronized (this) {
                lane.sending--;
                notifyAll();
            }
        }
    }

    private void accepted(Lane lane, long rowNo, Project project, long sentAt, long answeredAt) {
        ledger.markImporting(instance, rowNo, project.id(), answeredAt);
        synchronized (this) {
            lane.answered();
            if (project.created() != null) {
                lane.observe(sentAt, answeredAt, project.created());
            }
        }
        log.debug("row {}: project {} on {} is {}", rowNo, project.id(), lane, project.statusText());
        if (project.status() != ProjectStatus.IMPORTING) {
            settle(rowNo, project);
            return;
        }
        synchronized (this) {
            if (lane.awaited.isEmpty()) {
                lane.nextPollNanos = System.nanoTime() + lane.pollIntervalNanos;
            }
            lane.awaited.put(project.id(), new Lane.Awaited(rowNo, project.id(), deadline(sentAt), giveUp(sentAt)));
        }
    }

    private void retry(Lane lane, Lane.Send send, ApiResult.Failed<?> failed) {
        ApiError error = failed.error();
        int attempts = send.attempts() + 1;
        if (error.httpStatus() == 429) {
            counts.throttled();
        }
        if (attempts >= properties.maxAttempts()) {
            // Not the row's fault: it stays PENDING, the run fails, and the next run sends it.
            ledger.backToPending(instance, send.rowNo(), error.code(), "not sent after " + attempts + " attempts: "
                    + error.message());
            counts.unsent();
            log.warn("row {} to {}: not sent after {} attempts ({} {}); the next run sends it", send.rowNo(), lane,
                    attempts, error.httpStatus(), error.code());
            return;
        }
        counts.retried();
        ledger.backToPending(instance, send.rowNo(), error.code(), error.message());
        Duration wait = waitBefore(attempts, failed.retryAfter());
        log.info("row {} to {}: {} {}, attempt {} of {} in {} ms", send.rowNo(), lane, error.httpStatus(),
                error.code(), attempts + 1, properties.maxAttempts(), wait.toMillis());
        synchronized (this) {
            if (lane.stoppedBecause == null) {
                lane.queue.addFirst(new Lane.Send(send.target(), send.rowNo(), send.token(), attempts,
                        send.heldSinceMillis()));
                queued++;
            }
            if (error.httpStatus() == 429) {
                lane.throttled(System.nanoTime(), wait);
            }
            else {
                lane.pausedUntilNanos = Math.max(lane.pausedUntilNanos, System.nanoTime() + wait.toNanos());
            }
            notifyAll();
        }
    }

    /** Nothing left this machine: the row stays PENDING, and the target is paused or given up for this run. */
    private void environmentFailed(Lane lane, Lane.Send send, ApiError error) {
        ledger.backToPending(instance, send.rowNo(), error.code(), "not sent: " + error.code()
                + " before any request byte left; the same command sends it once the environment is fixed");
        log.debug("row {} to {}: not sent, {}", send.rowNo(), lane, error.code());
        synchronized (this) {
            if (lane.stoppedBecause == null) {
                lane.queue.addFirst(send);
                queued++;
            }
            environmentFailed(lane, error);
        }
    }

    /** Under the monitor: counts an environment failure of the lane, stopping it after a few in a row. */
    private void environmentFailed(Lane lane, ApiError error) {
        boolean wasStopped = lane.stoppedBecause != null;
        Duration pause = environment.failed(lane, error);
        if (pause == null) {
            // Queued, awaited and lost rows stay open in the ledger: the next run takes them up.
            queued -= lane.queue.size() + lane.held.size();
            lane.queue.clear();
            lane.held.clear();
            lane.awaited.clear();
            lane.lost.clear();
            if (!wasStopped) {
                log.warn("{}: nothing more is sent there in this run ({} {} failures in a row)", lane,
                        lane.environmentFailures, error.code());
            }
        }
        else {
            lane.pausedUntilNanos = Math.max(lane.pausedUntilNanos, System.nanoTime() + pause.toNanos());
        }
        notifyAll();
    }

    /** Under any answer: the target's clock as it showed it; an answer also proves the way there works. */
    private void observe(Lane lane, ApiResult<?> result) {
        synchronized (this) {
            lane.observe(result.serverDate());
            if (result instanceof ApiResult.Ok<?> || ((ApiResult.Failed<?>) result).error().httpStatus() != 0) {
                lane.environmentFailures = 0;
            }
        }
    }

    private Duration waitBefore(int attempts, @Nullable Duration retryAfter) {
        Duration wait = retryAfter != null ? retryAfter
                : DEFAULT_RETRY_WAIT.multipliedBy(1L << Math.min(attempts - 1, 5));
        wait = wait.compareTo(MAX_BACKOFF) > 0 && retryAfter == null ? MAX_BACKOFF : wait;
        return wait.compareTo(properties.maxRetryAfter()) > 0 ? properties.maxRetryAfter() : wait;
    }

    private void answerLost(Lane lane, Lane.Send send, long sentAt, long lostAt, ApiError error) {
        counts.answerLost();
        ledger.markAnswerLost(instance, send.rowNo(), lostAt, error.code(), error.message());
        log.warn("row {} to {}: the import's answer was lost ({}); the project list will tell whether it was made",
                send.rowNo(), lane, error.code());
        synchronized (this) {
            lane.lost.add(new Lane.Lost(send.rowNo(), send.token(), send.target(), sentAt, lostAt));
        }
    }

    // ---- rows whose claim another run's row holds

    private void recheckHeld(Lane lane) {
        List<Lane.Send> held;
        synchronized (this) {
            held = List.copyOf(lane.held);
            lane.held.clear();
            queued -= held.size();
        }
        try {
            claimWaits.recheck(lane, held);
        }
        catch (RuntimeException e) {
            fail(e);
        }
        finally {
            synchronized (this) {
                lane.checkingHeld = false;
                lane.heldCheckNanos = System.nanoTime() + properties.maxPollInterval().toNanos();
                notifyAll();
            }
        }
    }

    private synchronized void requeue(Lane lane, Lane.Send send) {
        if (lane.stoppedBecause != null) {
            return; // the row stays PENDING for the next run
        }
        lane.queue.addFirst(send);
        queued++;
        notifyAll();
    }

    private synchronized void hold(Lane lane, Lane.Send send) {
        if (lane.stoppedBecause != null) {
            return; // the row stays PENDING for the next run
        }
        if (lane.held.isEmpty() && !lane.checkingHeld) {
            lane.heldCheckNanos = System.nanoTime() + properties.maxPollInterval().toNanos();
        }
        lane.held.add(send);
        queued++;
        notifyAll();
    }

    // ---- one listing: settles a lane's awaited imports and reconciles its lost answers

    private void poll(Lane lane, boolean reconcile) {
        boolean changed = false;
        Duration retryAfter = null;
        boolean identified = false;
        boolean discoveryFailed = false;
        List<Lane.Send> unsent = List.of();
        String resource = null;
        try {
            counts.listed();
            ApiResult<List<Project>> result = client.getProjects(lane.target.endpoint(), lane.target.key());
            long receivedAt = System.currentTimeMillis();
            observe(lane, result);
            if (result instanceof ApiResult.Ok<List<Project>> ok) {
                synchronized (this) {
                    lane.answered();
                    ok.value().stream().filter(p -> p.created() != null)
                            .forEach(p -> lane.observeListed(p.created(), receivedAt));
                }
                Map<String, Project> byId = ok.value().stream()
                        .collect(Collectors.toMap(Project::id, p -> p, (a, b) -> a, HashMap::new));
                resource = learnResource(lane, byId.keySet());
                identified = true;
                changed = settleAwaited(lane, byId);
                if (reconcile) {
                    changed |= reconcileLost(lane, ok.value());
                }
            }
            else if (result instanceof ApiResult.Failed<List<Project>> failed) {
                if (failed.error().httpStatus() == 429) {
                    counts.throttled();
                    retryAfter = waitBefore(1, failed.retryAfter());
                    // A first listing throttled past import.max-attempts leaves the rows pending, as any.
                    discoveryFailed = !lane.identified;
                }
                else if (failed.failure() == Failure.TERMINAL && !dropListingTarget(lane)) {
                    giveUpOn(lane, failed.error());
                    changed = true;
                    // The key is refused: no resource can be told, and each import gets its own refusal.
                    identified = true;
                }
                else if (failed.failure() == Failure.ENVIRONMENT) {
                    // Also before the target's first listing: an untrusted certificate is the
                    // environment's failure, told once with its remedy, not a listing to retry.
                    synchronized (this) {
                        environmentFailed(lane, failed.error());
                    }
                }
                else if (!lane.identified) {
                    discoveryFailed = true;
                    retryAfter = waitBefore(lane.discoveryFailures + 1, failed.retryAfter());
                }
                if (failed.failure() != Failure.TERMINAL) {
                    changed = expireOverdue(lane, failed.error());
                }
                log.info("listing projects of {} failed: {} {}", lane, failed.error().httpStatus(),
                        failed.error().code());
            }
        }
        catch (RuntimeException e) {
            fail(e);
        }
        finally {
            synchronized (this) {
                lane.polling = false;
                long min = properties.pollInterval().toNanos();
                lane.pollIntervalNanos = changed ? min
                        : Math.min(properties.maxPollInterval().toNanos(), (long) (lane.pollIntervalNanos * 1.5));
                lane.nextPollNanos = System.nanoTime() + lane.pollIntervalNanos;
                if (retryAfter != null) {
                    lane.throttled(System.nanoTime(), retryAfter);
                }
                lane.identified |= identified;
                if (resource != null && lanes.relink(lane, resource)) {
                    cursor = cursor % lanes.order.size();
                }
                if (discoveryFailed && ++lane.discoveryFailures >= properties.maxAttempts()) {
                    // Sending without knowing the resource could import a token twice: the rows wait for the next run.
                    unsent = List.copyOf(lane.queue);
                    lane.queue.clear();
                    queued -= unsent.size();
                }
                notifyAll();
            }
        }
        for (Lane.Send send : unsent) {
            counts.unsent();
            ledger.backToPending(instance, send.rowNo(), "ProjectsUnreadable", "not sent: the target's project list"
                    + " could not be read after " + properties.maxAttempts() + " attempts; the next run sends it");
        }
        if (!unsent.isEmpty()) {
            log.warn("{}: the project list could not be read after {} attempts; {} rows left pending", lane,
                    properties.maxAttempts(), unsent.size());
        }
    }

    /** A rotated key's old half is refused: the resource's other key lists instead. */
    private synchronized boolean dropListingTarget(Lane lane) {
        return lane.dropListingTarget();
    }

    /** Links the lane's target to the resource whose projects it lists; the resource it then belongs to. */
    private @Nullable String learnResource(Lane lane, Set<String> projectIds) {
        List<String> unseen;
        synchronized (this) {
            unseen = projectIds.stream().filter(lane.seenProjects::add).toList();
        }
        return unseen.isEmpty() ? null : resources.learn(lane.fingerprint, unseen);
    }

    private boolean settleAwaited(Lane lane, Map<String, Project> byId) {
        List<Lane.Awaited> awaited;
        synchronized (this) {
            awaited = List.copyOf(lane.awaited.values());
        }
        boolean changed = false;
        long now = System.currentTimeMillis();
        for (Lane.Awaited each : awaited) {
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
                ledger.giveUp(instance, each.rowNo(), project.id(), "stuck Importing: still Importing "
                        + properties.giveUpAfter() + " after it was sent (import.give-up-after)");
            }
            else if (project.status() == ProjectStatus.IMPORTING && now < each.deadlineMillis()) {
                continue;
            }
            else if (project.status() == ProjectStatus.IMPORTING) {
                finish(each.rowNo(), RowStatus.TIMED_OUT, project.id(), null,
                        "still Importing after " + properties.timeout() + "; the next run waits again");
            }
            else {
                settle(each.rowNo(), project);
            }
            synchronized (this) {
                lane.awaited.remove(each.projectId());
            }
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
        long now = System.currentTimeMillis();
        List<Lane.Awaited> awaited;
        List<Lane.Lost> overdue;
        synchronized (this) {
            awaited = List.copyOf(lane.awaited.values());
            overdue = lane.lost.stream().filter(l -> now >= deadline(l.sentAtMillis())).toList();
            lane.lost.removeAll(overdue);
            unreconciled += overdue.size();
        }
        boolean changed = !overdue.isEmpty();
        for (Lane.Awaited each : awaited) {
            changed |= expire(lane, each, now, "the project list could not be read (" + error.httpStatus() + " "
                    + error.code() + ")");
        }
        for (Lane.Lost each : overdue) {
            log.warn("row {} to {}: its answer was lost and the project list could not be read before the deadline;"
                    + " left for the next run", each.rowNo(), lane);
        }
        return changed;
    }

    private boolean expire(Lane lane, Lane.Awaited each, long now, String why) {
        synchronized (this) {
            if (now < each.deadlineMillis() || lane.awaited.remove(each.projectId()) == null) {
                return false;
            }
        }
        finish(each.rowNo(), RowStatus.TIMED_OUT, each.projectId(), null,
                "not seen to leave Importing within " + properties.timeout() + ": " + why + "; the next run waits again");
        return true;
    }

    /** GetProject, for a project the listing did not show. Null: not known yet. */
    private @Nullable Project fetch(Lane lane, Lane.Awaited awaited) {
        try {
            lane.bucket.asBlocking().consume(1);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        counts.fetched();
        ApiResult<Project> result = client.getProject(lane.target.endpoint(), lane.target.key(), awaited.projectId());
        observe(lane, result);
        if (result instanceof ApiResult.Ok<Project> ok) {
            return ok.value();
        }
        ApiResult.Failed<Project> failed = (ApiResult.Failed<Project>) result;
        if (failed.failure() == Failure.TERMINAL) {
            finish(awaited.rowNo(), RowStatus.FAILED, awaited.projectId(), failed.error(), null);
            synchronized (this) {
                lane.awaited.remove(awaited.projectId());
            }
        }
        return null;
    }

    private boolean reconcileLost(Lane lane, List<Project> projects) {
        List<Lane.Lost> lost;
        Set<String> awaitedIds;
        synchronized (this) {
            lost = List.copyOf(lane.lost);
            awaitedIds = new HashSet<>(lane.awaited.keySet());
        }
        Set<String> claimed = ledger.claimed(projects.stream().map(Project::id).toList());
        List<Project> unclaimed = projects.stream()
                .filter(p -> !claimed.contains(p.id()) && !awaitedIds.contains(p.id()))
                .toList();
        long skew = properties.clockSkew().toMillis();
        List<InDoubtMatcher.Window> windows = new ArrayList<>();
        Map<Long, long[]> lifetimes = new HashMap<>();
        synchronized (this) {
            for (Lane.Lost l : lost) {
                long[] window = lane.creationWindow(l.sentAtMillis(), l.lostAtMillis(), skew);
                long[] lifetime = lane.creationWindow(l.sentAtMillis(), l.sentAtMillis() + requestLifetimeMillis,
                        skew);
                lifetimes.put(l.rowNo(), lifetime);
                windows.add(new InDoubtMatcher.Window(l.rowNo(), Instant.ofEpochMilli(window[0]),
                        Instant.ofEpochMilli(window[1])));
            }
        }
        InDoubtMatcher.Result match = InDoubtMatcher.match(windows, unclaimed);
        Map<Long, Lane.Lost> byRow = lost.stream().collect(Collectors.toMap(Lane.Lost::rowNo, l -> l));
        match.adopted().forEach((rowNo, project) -> {
            counts.adopted();
            log.info("row {}: adopted project {} on {}, made by the import whose answer was lost", rowNo,
                    project.id(), lane);
            accepted(lane, rowNo, project, byRow.get(rowNo).sentAtMillis(), System.currentTimeMillis());
        });
        match.ambiguous().forEach((rowNo, candidates) -> inDoubt(rowNo, candidates));
        for (long rowNo : match.noCandidate()) {
            Lane.Lost row = byRow.get(rowNo);
            // A project created after all the request could have done is someone else's.
            long[] lifetime = lifetimes.get(rowNo);
            List<Project> later = unclaimed.stream().filter(p -> p.created() == null
                    || !p.created().isBefore(Instant.ofEpochMilli(lifetime[0]))
                            && !p.created().isAfter(Instant.ofEpochMilli(lifetime[1]))).toList();
            if (later.isEmpty()) {
                // Nothing the import could have made exists: it was never performed.
                log.info("row {}: no project appeared on {} after its lost answer; sending it again", rowNo, lane);
                ledger.backToPending(instance, rowNo, "NotPerformed", "the lost import made no project; sent again");
                synchronized (this) {
                    if (lane.stoppedBecause == null) {
                        lane.queue.addFirst(new Lane.Send(row.target(), rowNo, row.token(), 0, 0));
                        queued++;
                    }
                }
            }
            else {
                inDoubt(rowNo, later);
            }
        }
        synchronized (this) {
            lane.lost.removeAll(lost);
            notifyAll();
        }
        return true;
    }

    private void inDoubt(long rowNo, List<Project> candidates) {
        String ids = candidates.stream().map(Project::id).limit(20).collect(Collectors.joining(" "));
        log.warn("row {}: IN_DOUBT, the import may have made one of [{}]", rowNo, ids);
        ledger.finish(instance, rowNo, RowStatus.IN_DOUBT, null, "InDoubt",
                "the import's answer was lost and its project cannot be told apart; candidates: "
                        + (ids.isEmpty() ? "none" : ids), ids.isEmpty() ? null : ids);
    }

    /**
     * The target refuses its listing (key revoked, resource gone): what it awaits cannot be
     * told in this run.
     */
    private void giveUpOn(Lane lane, ApiError error) {
        List<Lane.Awaited> awaited;
        List<Lane.Lost> lost;
        synchronized (this) {
            awaited = List.copyOf(lane.awaited.values());
            lost = List.copyOf(lane.lost);
            lane.awaited.clear();
            lane.lost.clear();
        }
        for (Lane.Awaited each : awaited) {
            finish(each.rowNo(), RowStatus.TIMED_OUT, each.projectId(), error, null);
        }
        // A lost answer is left SUBMITTING: a listing with a working key (the same command, once
        // the key is fixed) still tells whether its import made a project.
        synchronized (this) {
            unreconciled += lost.size();
        }
        for (Lane.Lost each : lost) {
            log.warn("row {} to {}: its answer was lost and the project list is refused ({}); left for the next run",
                    each.rowNo(), lane, error.code());
        }
    }

    private void settle(long rowNo, Project project) {
        RowStatus status = project.status() == ProjectStatus.SUCCEEDED ? RowStatus.SUCCEEDED : RowStatus.FAILED;
        String message = status == RowStatus.SUCCEEDED ? null : "project status " + project.statusText();
        finish(rowNo, status, project.id(), null, message);
    }

    private void finish(long rowNo, RowStatus status, @Nullable String projectId, @Nullable ApiError error,
            @Nullable String message) {
        ledger.finish(instance, rowNo, status, projectId, error == null ? null : error.code(),
                message != null ? message : error == null ? null : error.message(), null);
        log.debug("row {}: {}", rowNo, status);
    }

    private void fail(RuntimeException e) {
        synchronized (this) {
            if (failure == null) {
                log.error("import engine stopped: {}", e.toString());
                failure = e;
            }
            stopping = true;
            notifyAll();
        }
    }

    private static final class WorkerThreads implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable runnable) {
            Thread thread = new Thread(runnable, "import-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
