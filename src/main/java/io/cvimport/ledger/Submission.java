package io.cvimport.ledger;

import org.jspecify.annotations.Nullable;

/**
 * What marking a row SUBMITTING came to: it may be sent; or it was no longer there to send
 * (another worker or run has it); or another row holds the claim on its token and resource;
 * or another row's import of unknown outcome holds its resource's send slot ({@code slotBusy}).
 */
public record Submission(boolean mayBeSent, @Nullable ClaimHolder heldBy, boolean slotBusy) {

    static final Submission SENDABLE = new Submission(true, null, false);
    static final Submission NOT_PENDING = new Submission(false, null, false);
    static final Submission SLOT_BUSY = new Submission(false, null, true);

    public Submission(boolean mayBeSent, @Nullable ClaimHolder heldBy) {
        this(mayBeSent, heldBy, false);
    }
}
