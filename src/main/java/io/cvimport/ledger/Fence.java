package io.cvimport.ledger;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The fencing token of this process's run: the run lock's key and the generation it was
 * taken with. Every claim of a row for sending checks it against the lock table in the
 * same statement, so that a run whose lock was taken over sends nothing more. A job
 * started without the lock (tests of the job alone) has no token and claims unchecked.
 */
@Component
public class Fence {

    /** The lock a run holds: its key in the lock table and the generation it took. */
    public record Token(String lockKey, long generation) {
    }

    private volatile @Nullable Token token;
    private volatile boolean lost;

    public void hold(String lockKey, long generation) {
        token = new Token(lockKey, generation);
        lost = false;
    }

    /** Another run took the lock over: from now on every claim fails at once. */
    public void lose() {
        lost = true;
    }

    public void release() {
        token = null;
        lost = false;
    }

    @Nullable Token token() {
        return token;
    }

    boolean isLost() {
        return lost;
    }
}
