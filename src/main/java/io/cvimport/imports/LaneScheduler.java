package io.cvimport.imports;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cvimport.customvision.TargetResource;

/**
 * Spreads the fed rows over per-resource lanes and hands the calls out: a fixed pool of
 * workers takes whichever lane may make a call next (its rate budget allows it and a send
 * or a listing is due, see {@link CallsDue}), so every target works at its own rate at
 * once and no thread waits on one slow target. It alone holds the monitor over the lanes,
 * the window of rows held in memory and stopping, and it is the only one that waits.
 */
final class LaneScheduler implements LaneMonitor, AutoCloseable {

    /** The calls a worker makes, each outside the monitor. */
    interface Calls {
        void send(Lane lane, Lane.Send send);

        void list(Lane lane, boolean reconcile);

        void recheckHeld(Lane lane);

        void verify(Lane lane, Lane.Awaited succeeded);
    }

    private static final Logger log = LoggerFactory.getLogger(LaneScheduler.class);
    private static final long MIN_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long LONGEST_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ImportProperties properties;
    private final Clocks clocks;
    private final ResourceLanes lanes;
    private final List<Lane> order;
    private final CallsDue due;
    private final SourceSends sourceSends;
    private @Nullable ExecutorService workers;
    private int cursor;
    private int workersLeft;
    private boolean feedingDone;
    private boolean stopping;
    private @Nullable RuntimeException failure;

    LaneScheduler(ResourceLanes lanes, CallsDue due, ImportProperties properties, Clocks clocks) {
        this.lanes = lanes;
        this.order = lanes.order;
        this.due = due;
        this.sourceSends = new SourceSends(lanes);
        this.properties = properties;
        this.clocks = clocks;
    }

    /** Starts the workers; {@link #close} stops them. */
    synchronized void start(Calls calls) {
        if (workers != null) {
            throw new IllegalStateException("already started");
        }
        ExecutorService pool = Executors.newFixedThreadPool(properties.concurrency(), new WorkerThreads());
        workers = pool;
        // Counted once started (a worker cannot end before this monitor is released): when a
        // thread cannot be created, close() waits for the workers that exist, not for all.
        for (int i = 0; i < properties.concurrency(); i++) {
            pool.execute(() -> work(calls));
            workersLeft++;
        }
    }

    // ---- feeding, from the step's thread

    /**
     * Queues a row to send, waiting while the window of rows held in memory is full, until
     * {@code untilNanos} at most (MAX_VALUE: as long as it takes).
     *
     * @return false if the window was still full then: the row was not taken
     */
    synchronized boolean send(Lane.Send send, long untilNanos) throws InterruptedException {
        while (lanes.held >= properties.window() && !stopping) {
            if (!waitUntil(untilNanos)) {
                return false;
            }
        }
        if (stopping) {
            return true;
        }
        lanes.queue(lanes.of(send.target()), send, false);
        notifyAll();
        return true;
    }

    /**
     * Rows the target's lane holds in memory, queued or waiting on another run's claim; none
     * once the engine or the lane stopped, which take no more rows (what is handed then is dropped).
     */
    synchronized int queued(TargetResource target) {
        Lane lane = lanes.of(target);
        return stopping || lane.stoppedBecause != null ? 0 : lane.queue.size() + lane.held.size();
    }

    /**
     * Waits a while for the lanes to take rows, until {@code untilNanos} at most.
     *
     * @return false once {@code untilNanos} passed
     */
    synchronized boolean awaitTaken(long untilNanos) throws InterruptedException {
        long now = clocks.nanos();
        if (now >= untilNanos) {
            return false;
        }
        if (!stopping) {
            waitUntil(Math.min(untilNanos, now + LONGEST_WAIT_NANOS));
        }
        return true;
    }

    /** An import an earlier execution sent, to await or (its answer lost) to reconcile. */
    synchronized void sent(TargetResource target, Consumer<Lane> add) {
        Lane lane = lanes.of(target);
        if (lane.stoppedBecause == null) {
            add.accept(lane);
        }
        notifyAll();
    }

    synchronized void feedingDone() {
        feedingDone = true;
        notifyAll();
    }

    /** Stops at the next boundary: nothing new is sent, calls in progress are recorded. */
    synchronized void stop() {
        stopping = true;
        notifyAll();
    }

    /**
     * Waits until every fed row is settled (or the engine stopped), until {@code untilNanos}
     * at most (MAX_VALUE: as long as it takes).
     *
     * @return whether the workers are done
     */
    synchronized boolean awaitCompletion(long untilNanos) throws InterruptedException {
        while (workersLeft > 0) {
            if (!waitUntil(untilNanos)) {
                return false;
            }
        }
        if (failure != null) {
            throw failure;
        }
        return true;
    }

    /**
     * Stops and waits for the calls in progress to be recorded: no worker writes anything
     * after this returns (a failed feed must not leave one running beside the next engine).
     */
    @Override
    public void close() {
        stop();
        // Not given up on an interrupt: the step's end is written once this returns, and a
        // worker still running then would record beside the next engine. The flag is kept.
        boolean interrupted = false;
        synchronized (this) {
            while (workersLeft > 0) {
                try {
                    wait();
                }
                catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (workers != null) {
            workers.shutdown();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits once; false if {@code untilNanos} has passed. */
    private boolean waitUntil(long untilNanos) throws InterruptedException {
        if (untilNanos == Long.MAX_VALUE) {
            wait();
            return true;
        }
        long left = untilNanos - clocks.nanos();
        if (left <= 0) {
            return false;
        }
        clocks.ticker().await(this, left);
        return true;
    }

    synchronized String state() {
        return lanes.state();
    }

    // ---- the workers

    private void work(Calls calls) {
        try {
            Runnable task;
            while ((task = next(calls)) != null) {
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
    private synchronized @Nullable Runnable next(Calls calls) throws InterruptedException {
        while (true) {
            if (finished()) {
                notifyAll();
                return null;
            }
            long now = clocks.nanos();
            long wake = now + LONGEST_WAIT_NANOS;
            for (int i = 0; i < order.size(); i++) {
                // Lanes merged away shorten the list: the cursor only says where to start.
                Lane lane = order.get((cursor + i) % order.size());
                if (lane.stoppedBecause != null) {
                    continue;
                }
                if (lane.pausedUntilNanos > now) {
                    wake = Math.min(wake, lane.pausedUntilNanos);
                    continue;
                }
                if (due.heldCheck(lane, now, stopping)) {
                    lane.checkingHeld = true;
                    cursor = (cursor + i + 1) % order.size();
                    return () -> calls.recheckHeld(lane);
                }
                boolean reconcile = due.reconcile(lane, now);
                boolean list = due.listing(lane, now, reconcile, stopping);
                Lane.Send head = !list && due.send(lane, stopping) ? lane.queue.peek() : null;
                // A source send whose source has no budget yet lets a verification go first.
                long turn = head != null && head.source() != null ? sourceSends.take(lane, now) : 0;
                if (turn != 0) {
                    head = null;
                    wake = turn == Long.MAX_VALUE ? wake : Math.min(wake, Math.max(turn, now + MIN_WAIT_NANOS));
                }
                // Verifications are reads of rows already SUCCEEDED: a stopping run still makes them.
                boolean verify = !list && head == null && !lane.toVerify.isEmpty();
                if (!list && head == null && !verify) {
                    long listAt = due.listingAt(lane, now, stopping);
                    if (listAt != Long.MAX_VALUE) {
                        wake = Math.min(wake, Math.max(listAt, now + MIN_WAIT_NANOS));
                    }
                    continue;
                }
                // A row of a refused key is rejected without a call: it takes no budget.
                boolean refused = head != null && lane.refusalOf(head.target()) != null;
                if ((head == null || head.source() == null) && !refused && !lane.bucket.tryConsume(1)) {
                    wake = Math.min(wake, now + Math.max(MIN_WAIT_NANOS,
                            lane.bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill()));
                    continue;
                }
                cursor = (cursor + i + 1) % order.size();
                if (list) {
                    lane.polling = true;
                    lane.lastPollNanos = now;
                    boolean alsoReconcile = reconcile && lane.identified;
                    return () -> calls.list(lane, alsoReconcile);
                }
                if (verify) {
                    Lane.Awaited succeeded = lane.toVerify.remove();
                    lane.verifying++;
                    return () -> calls.verify(lane, succeeded);
                }
                Lane.Send send = lanes.nextSend(lane);
                lane.sending++;
                notifyAll();
                return () -> calls.send(lane, send);
            }
            clocks.ticker().await(this, Math.max(MIN_WAIT_NANOS, wake - now));
        }
    }

    private boolean finished() {
        if (failure != null || stopping) {
            // A stop ends once the verifications queued are made too (a failure cannot wait for them).
            return order.stream().allMatch(lane -> lane.sending == 0 && !lane.polling && !lane.checkingHeld
                    && lane.verifying == 0 && (failure != null || lane.stoppedBecause != null
                            || lane.toVerify.isEmpty()));
        }
        return feedingDone && order.stream().allMatch(Lane::idle);
    }

    // ---- what the sender and the settler ask of the monitor

    @Override
    public synchronized <T> T locked(Supplier<T> action) {
        try {
            return action.get();
        }
        finally {
            notifyAll();
        }
    }

    @Override
    public synchronized SlotTurn awaitImportSlot(Lane lane, long maxWaitNanos) throws InterruptedException {
        long until = clocks.nanos() + maxWaitNanos;
        while (!lane.slotFree() && !stopping) {
            long left = until - clocks.nanos();
            if (left <= 0) {
                return SlotTurn.BUSY;
            }
            clocks.ticker().await(this, Math.min(left, LONGEST_WAIT_NANOS));
        }
        if (stopping) {
            return SlotTurn.STOPPING;
        }
        lane.importOpen = true;
        return SlotTurn.TAKEN;
    }

    @Override
    public void awaitBudget(Lane lane) throws InterruptedException {
        lane.bucket.asBlocking().consume(1, clocks.ticker()::sleep);
    }

    @Override
    public void fail(RuntimeException e) {
        synchronized (this) {
            if (failure == null) {
                log.error("import engine stopped: {}", e.toString());
                failure = e;
            }
            stopping = true;
            notifyAll();
        }
    }
}
