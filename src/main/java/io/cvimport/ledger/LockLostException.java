package io.cvimport.ledger;

/** This run's lock was taken over by another run: it must send nothing more. */
public class LockLostException extends RuntimeException {

    LockLostException(Fence.Token token) {
        super("this run lost its lock on the input (generation " + token.generation()
                + ") to another run: it sends nothing more and stops; the run that holds the lock carries on");
    }
}
