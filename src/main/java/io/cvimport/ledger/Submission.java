package io.cvimport.ledger;

import org.jspecify.annotations.Nullable;

/**
 * What marking a row SUBMITTING came to: it may be sent; or it was no longer there to send
 * (another worker or run has it); or another row holds the claim on its token and resource.
 */
public record Submission(boolean mayBeSent, @Nullable ClaimHolder heldBy) {

    static final Submission SENDABLE = new Submission(true, null);
    static final Submission NOT_PENDING = new Submission(false, null);
}
