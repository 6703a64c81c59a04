package io.cvimport.imports.lanes;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * The one thread that changes the state it owns (the lanes): other threads hand it what to
 * do through its inbox, in order, and wait for the answer ({@link #ask}) or not
 * ({@link #tell}); between tasks it runs its {@link Loop}, which hands out work and says
 * until when it may sleep. A caller that needs to wait for a moment (a free send slot, room
 * in the window) asks for a {@link #turn}: the owner grants it when the moment comes, and a
 * caller that stops waiting withdraws it, both on this thread, so neither can miss the other.
 * Once the loop is done, callers run their tasks themselves, one at a time.
 */
final class OwnerThread {

    /** What the owner does between tasks. */
    interface Loop {
        /**
         * Hands out what is due; returns when (ticker nanos) to run again unless a task comes
         * first, MAX_VALUE to wait for the next task however long, or MIN_VALUE when done.
         */
        long step();

        /** The loop is over, by its own end or by {@code failure}. */
        void ended(@Nullable RuntimeException failure);
    }

    private final Ticker ticker;
    private final BlockingQueue<FutureTask<?>> inbox = new LinkedBlockingQueue<>();
    private final List<Turn<?>> turns = new ArrayList<>();
    private final Object afterEnd = new Object();
    private final Thread thread;
    private volatile boolean ended;
    /** What a task told to this thread threw: it ends the loop. */
    private @Nullable RuntimeException failed;

    OwnerThread(String name, Ticker ticker, Loop loop) {
        this.ticker = ticker;
        this.thread = new WorkerThreads(name).newThread(() -> own(loop));
    }

    void start() {
        thread.start();
    }

    /** Runs {@code action} on the owner's thread and returns what it returned; throws what it threw. */
    <T> T ask(Supplier<T> action) {
        if (Thread.currentThread() == thread) {
            return action.get();
        }
        FutureTask<T> task = new FutureTask<>(action::get);
        hand(task);
        return answerOf(task);
    }

    /** Runs {@code action} on the owner's thread, later; what it throws ends the loop. */
    void tell(Runnable action) {
        if (Thread.currentThread() == thread) {
            action.run();
            return;
        }
        hand(new FutureTask<>(() -> {
            try {
                action.run();
            }
            catch (RuntimeException e) {
                failed = e;
            }
            catch (Error e) {
                // Not swallowed by the task: a change applied halfway leaves the lanes inconsistent.
                failed = new IllegalStateException("a change to the lanes failed", e);
            }
            return null;
        }));
    }

    /**
     * On the owner's thread: a future granted by {@code grant} as soon as {@code ready} holds
     * (now, or after a later task), or completed by {@code withdraw} if the caller stops waiting first.
     */
    <T> CompletableFuture<T> turn(BooleanSupplier ready, Supplier<T> grant, T otherwise) {
        Turn<T> turn = new Turn<>(ready, grant, otherwise, new CompletableFuture<>());
        if (!turn.tryGrant()) {
            turns.add(turn);
        }
        return turn.future;
    }

    /**
     * Waits up to {@code nanos} for a turn; then withdraws it (it comes to its {@code otherwise}),
     * unless it was granted meanwhile; withdrawn too when the wait is interrupted, so that no
     * grant is left for a caller that went away. Returns what the turn came to.
     */
    <T> T await(CompletableFuture<T> turn, long nanos) throws InterruptedException {
        try {
            if (nanos == Long.MAX_VALUE) {
                waitFor(turn);
            }
            else {
                ticker.await(turn, nanos);
            }
        }
        finally {
            if (!turn.isDone()) {
                ask(() -> withdraw(turn));
            }
        }
        return turn.join();
    }

    /** On the owner's thread: the caller stopped waiting; the turn comes to its otherwise, unless granted. */
    private boolean withdraw(CompletableFuture<?> future) {
        for (Iterator<Turn<?>> each = turns.iterator(); each.hasNext();) {
            Turn<?> turn = each.next();
            if (turn.future() == future) {
                each.remove();
                turn.giveUp();
            }
        }
        return true;
    }

    private static void waitFor(CompletableFuture<?> future) throws InterruptedException {
        try {
            future.get();
        }
        catch (ExecutionException e) {
            // The turn's grant threw: join() rethrows it.
        }
    }

    private void own(Loop loop) {
        RuntimeException failure = null;
        try {
            runLoop(loop);
        }
        catch (InterruptedException e) {
            failure = new IllegalStateException("the engine's owner thread was interrupted", e);
        }
        catch (RuntimeException e) {
            failure = e;
        }
        catch (Error e) {
            // A thread that could not be made, a bug: the engine fails, it does not finish.
            failure = new IllegalStateException("the engine's owner thread failed", e);
        }
        finally {
            end(loop, failure);
        }
    }

    /** Tasks in order, then the loop's step, until the step says the loop is done. */
    private void runLoop(Loop loop) throws InterruptedException {
        while (true) {
            runInbox();
            if (failed != null) {
                throw failed;
            }
            grantTurns();
            long wakeAt = loop.step();
            if (wakeAt == Long.MIN_VALUE) {
                return;
            }
            grantTurns(); // what the step handed out may have made room
            FutureTask<?> task = inbox.poll();
            if (task == null) {
                // A test's ticker moves its time on only when it is waited on for a time.
                task = wakeAt == Long.MAX_VALUE ? inbox.take()
                        : ticker.poll(inbox, Math.max(1, wakeAt - ticker.nanos()));
            }
            if (task != null) {
                task.run();
            }
        }
    }

    /** The loop is over: what is left in the inbox runs, the loop is told, and no turn is left waiting. */
    private void end(Loop loop, @Nullable RuntimeException failure) {
        synchronized (afterEnd) {
            ended = true;
            runInbox();
        }
        loop.ended(failure);
        synchronized (afterEnd) {
            // Granted if the end made it ready (a stop), else given up.
            turns.forEach(Turn::endWith);
            turns.clear();
        }
    }

    private void hand(FutureTask<?> task) {
        inbox.add(task);
        if (ended) {
            // The loop is over: its tasks are run by their callers, one at a time (a task runs once).
            synchronized (afterEnd) {
                runInbox();
            }
        }
    }

    private void runInbox() {
        FutureTask<?> task;
        while ((task = inbox.poll()) != null) {
            task.run();
        }
    }

    private void grantTurns() {
        for (Iterator<Turn<?>> each = turns.iterator(); each.hasNext();) {
            if (each.next().tryGrant()) {
                each.remove();
            }
        }
    }

    /** The answer of a task handed to the owner; waits for it whatever interrupts (the task may be under way). */
    private static <T> T answerOf(FutureTask<T> task) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                }
                catch (InterruptedException e) {
                    interrupted = true;
                }
                catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    if (e.getCause() instanceof Error error) {
                        throw error;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
        }
        finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private record Turn<T>(BooleanSupplier ready, Supplier<T> grant, T otherwise, CompletableFuture<T> future) {

        void giveUp() {
            future.complete(otherwise);
        }

        void endWith() {
            if (!tryGrant()) {
                giveUp();
            }
        }

        boolean tryGrant() {
            if (future.isDone()) {
                return true;
            }
            if (!ready.getAsBoolean()) {
                return false;
            }
            try {
                future.complete(grant.get());
            }
            catch (RuntimeException e) {
                future.completeExceptionally(e);
            }
            return true;
        }
    }
}
