package io.cvimport.ledger;

import org.jspecify.annotations.Nullable;

/**
 * What marking a row SUBMITTING came to: it may be sent, as the row's {@code attempt}-th
 * send; or it was no longer there to send (another worker or run has it); or another row
 * holds the claim on its token and resource; or another row's import of unknown outcome
 * holds its resource's send slot ({@code slotBusy}).
 */
public record Submission(boolean mayBeSent, @Nullable ClaimHolder heldBy, boolean slotBusy, int attempt) {

    static final Submission NOT_PENDING = new Submission(false, null, false, 0);
    static final Submission SLOT_BUSY = new Submission(false, null, true, 0);

    public Submission(boolean mayBeSent, @Nullable ClaimHolder heldBy) {
        this(mayBeSent, heldBy, false, 0);
    }

    /** The row may be sent: this is its {@code attempt}-th send, which guards the writes of its answer. */
    static Submission sendable(int attempt) {
        return new Submission(true, null, false, attempt);
    }
}
