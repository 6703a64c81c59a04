package io.cvimport.imports.lanes;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cvimport.customvision.TargetResource;
import io.cvimport.imports.ImportProperties;

/**
 * Spreads the fed rows over per-resource lanes and hands the calls out: a fixed pool of
 * workers makes whichever call a lane may make next (its rate budget allows it and a send
 * or a listing is due, see {@link CallsDue}), so every target works at its own rate at
 * once and no thread waits on one slow target. The lanes, the window of rows held in memory
 * and stopping belong to one thread, the {@link OwnerThread}: the step's thread and the
 * workers hand it what changed, and it alone applies it and picks the next calls.
 */
public final class LaneScheduler implements LaneOwner, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LaneScheduler.class);
    private static final long LONGEST_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ImportProperties properties;
    private final Clocks clocks;
    private final ResourceLanes lanes;
    private final List<Lane> order;
    private final NextCall nextCall;
    private final OwnerThread owner;
    private final ExecutorService workers;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    // Owned by the owner's thread:
    private @Nullable LaneCalls calls;
    private int cursor;
    /** Calls handed to the workers and not over: at most one per worker. */
    private int busy;
    private boolean feedingDone;
    private volatile boolean stopping;
    private volatile @Nullable RuntimeException failure;

    public LaneScheduler(ResourceLanes lanes, CallsDue due, ImportProperties properties, Clocks clocks) {
        this.lanes = lanes;
        this.order = lanes.order;
        this.nextCall = new NextCall(lanes, due);
        this.properties = properties;
        this.clocks = clocks;
        this.workers = Executors.newFixedThreadPool(properties.concurrency(), new WorkerThreads());
        this.owner = new OwnerThread("import-lanes", clocks.ticker(), new OwnerThread.Loop() {
            @Override
            public long step() {
                return handOut();
            }

            @Override
            public void ended(@Nullable RuntimeException e) {
                if (e != null) {
                    failed(e);
                }
                done.complete(null);
            }
        });
        owner.start();
    }

    /** Starts handing out calls; {@link #close} stops. */
    public void start(LaneCalls calls) {
        // Every worker made now, on the caller's thread: a thread that cannot be made fails the start.
        ((java.util.concurrent.ThreadPoolExecutor) workers).prestartAllCoreThreads();
        owner.tell(() -> {
            if (this.calls != null) {
                throw new IllegalStateException("already started");
            }
            this.calls = calls;
        });
    }

    // ---- feeding, from the step's thread

    /**
     * Queues a row to send, waiting while the window of rows held in memory is full, until
     * {@code untilNanos} at most (MAX_VALUE: as long as it takes).
     *
     * @return false if the window was still full then: the row was not taken
     */
    public boolean send(Send send, long untilNanos) throws InterruptedException {
        CompletableFuture<Boolean> taken = owner.ask(() -> owner.turn(
                () -> stopping || lanes.held < properties.window(),
                () -> {
                    if (!stopping) {
                        lanes.queue(lanes.of(send.target()), send, false);
                    }
                    return true;
                }, false));
        return owner.await(taken, left(untilNanos));
    }

    /** Rows each target's lane holds in memory ({@link ResourceLanes#queued}), in one question to the owner. */
    public QueuedRows queued(Collection<TargetResource> targets) {
        return owner.ask(() -> new QueuedRows(lanes.queued(targets, stopping),
                stopping ? CompletableFuture.completedFuture(true) : lanes.rowsLeaving()));
    }

    /**
     * Waits until rows leave the window after {@code looked} was taken (sent, given back or
     * dropped) or the engine stops, a second at most, and not past {@code untilNanos}.
     *
     * @return false once {@code untilNanos} passed
     */
    public boolean awaitTaken(QueuedRows looked, long untilNanos) throws InterruptedException {
        long now = clocks.nanos();
        if (now >= untilNanos) {
            return false;
        }
        clocks.ticker().await(looked.rowsLeave(), Math.min(untilNanos - now, LONGEST_WAIT_NANOS));
        return true;
    }

    /** An import an earlier execution sent, to await or (its answer lost) to reconcile. */
    public void sent(TargetResource target, Consumer<Lane> add) {
        owner.tell(() -> {
            Lane lane = lanes.of(target);
            if (lane.stoppedBecause == null) {
                add.accept(lane);
            }
        });
    }

    public void feedingDone() {
        owner.tell(() -> feedingDone = true);
    }

    /** Stops at the next boundary: nothing new is sent, calls in progress are recorded. */
    public void stop() {
        owner.tell(this::stopping);
    }

    /**
     * Waits until every fed row is settled (or the engine stopped), until {@code untilNanos}
     * at most (MAX_VALUE: as long as it takes).
     *
     * @return whether the calls are done
     */
    public boolean awaitCompletion(long untilNanos) throws InterruptedException {
        boolean over = untilNanos == Long.MAX_VALUE ? Ticker.SYSTEM.await(done, Long.MAX_VALUE)
                : clocks.ticker().await(done, left(untilNanos));
        RuntimeException failed = failure;
        if (over && failed != null) {
            throw failed;
        }
        return over;
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
        while (true) {
            try {
                // The owner hands out no call once it is done: only then may the workers shut down.
                done.get();
                workers.shutdown();
                if (workers.awaitTermination(1, TimeUnit.DAYS)) {
                    break;
                }
            }
            catch (InterruptedException e) {
                interrupted = true;
            }
            catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private long left(long untilNanos) {
        return untilNanos == Long.MAX_VALUE ? Long.MAX_VALUE : untilNanos - clocks.nanos();
    }

    public String state() {
        return owner.ask(lanes::state);
    }

    // ---- on the owner's thread

    /**
     * Hands out every call due while a worker is free; when to look again (MAX_VALUE: at the
     * next task only), or MIN_VALUE once all is done.
     */
    private long handOut() {
        if (finished()) {
            return Long.MIN_VALUE;
        }
        long now = clocks.nanos();
        NextCall.Wake wake = new NextCall.Wake(now + LONGEST_WAIT_NANOS);
        LaneCalls handed = calls;
        if (handed == null) {
            return wake.at();
        }
        for (int looked = 0; looked < order.size() && busy < properties.concurrency(); looked++) {
            // Lanes merged away shorten the list: the cursor only says where to start.
            int at = (cursor + looked) % order.size();
            Runnable call = nextCall.of(order.get(at), now, stopping, handed, wake);
            if (call != null) {
                cursor = (at + 1) % order.size();
                looked = -1; // round again from the lane after it
                busy++;
                workers.execute(() -> {
                    try {
                        call.run();
                    }
                    finally {
                        owner.tell(() -> busy--);
                    }
                });
            }
        }
        // Every worker busy: only the end of a call (a task) can make the next one due.
        return busy < properties.concurrency() ? wake.at() : Long.MAX_VALUE;
    }

    private boolean finished() {
        if (failure != null || stopping) {
            // A stop ends once the verifications queued are made too (a failure cannot wait for them).
            return busy == 0 && lanes.quietForStop(failure != null);
        }
        return feedingDone && busy == 0 && order.stream().allMatch(Lane::idle);
    }

    private void failed(RuntimeException e) {
        if (failure == null) {
            log.error("import engine stopped: {}", e.toString());
            failure = e;
        }
        stopping();
    }

    private void stopping() {
        stopping = true;
        lanes.wakeFeeder();
    }

    // ---- what the workers ask of the owner

    @Override
    public <T> T ask(Supplier<T> action) {
        return owner.ask(action);
    }

    @Override
    public void tell(Runnable action) {
        owner.tell(action);
    }

    @Override
    public SlotTurn awaitImportSlot(Lane lane, long maxWaitNanos) throws InterruptedException {
        CompletableFuture<SlotTurn> turn = owner.ask(() -> owner.turn(
                () -> stopping || lane.slotFree(),
                () -> {
                    if (stopping) {
                        return SlotTurn.STOPPING;
                    }
                    lane.importOpen = true;
                    return SlotTurn.TAKEN;
                }, SlotTurn.BUSY));
        return owner.await(turn, maxWaitNanos);
    }

    @Override
    public void awaitBudget(Lane lane) throws InterruptedException {
        lane.budget.await(clocks.ticker());
    }

    @Override
    public void fail(RuntimeException e) {
        owner.tell(() -> failed(e));
    }
}
