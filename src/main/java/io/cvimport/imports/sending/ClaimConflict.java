package io.cvimport.imports.sending;

import io.cvimport.ledger.ClaimHolder;

/**
 * What a row does when another row holds the claim on its token and target resource: only
 * a project that reached Succeeded makes it ALREADY_IMPORTED; an import still on its way is
 * waited for; a claim whose holder shows no import is stale.
 */
enum ClaimConflict {
    /** An earlier row of this input has the same token and resource. */
    DUPLICATE,
    /** An earlier run's import of the token into the resource succeeded. */
    ALREADY_IMPORTED,
    /** An earlier run's import may or may not have happened: its row is IN_DOUBT. */
    IN_DOUBT,
    /**
     * An earlier run's import was given up as stuck Importing (its row FAILED, keeping the
     * claim): its project may still succeed, so the token is not sent there again.
     */
    STUCK,
    /** An earlier run's import is on its way: its outcome decides. */
    WAIT,
    /** The holder gives the claim up (stale, or import.reimport over a finished import): send. */
    SEND_AGAIN;

    static ClaimConflict of(ClaimHolder holder, long instance, boolean reimport) {
        if (holder.instance() == instance) {
            return DUPLICATE;
        }
        return switch (holder.status()) {
            case SUCCEEDED -> reimport ? SEND_AGAIN : ALREADY_IMPORTED;
            case IN_DOUBT -> reimport ? SEND_AGAIN : IN_DOUBT;
            // A FAILED row keeps its claim only when its project was given up as stuck Importing.
            case FAILED -> reimport ? SEND_AGAIN : STUCK;
            // PENDING: an IN_DOUBT row reopened to be sent again keeps its claim until it is.
            case PENDING, SUBMITTING, IMPORTING, TIMED_OUT -> WAIT;
            default -> SEND_AGAIN;
        };
    }
}
