package io.cvimport.plan;

/** What a run would do with a row. */
enum Verdict {
    /** Would be sent, and the target has room for it. */
    WOULD_IMPORT(true),
    /** An earlier run imported this token into this resource. */
    ALREADY_IMPORTED(true),
    /** An earlier row of the input has the same token for the same resource. */
    DUPLICATE(true),
    /** The target refuses the key (or the listing): the service's code is the row's. */
    WOULD_BE_REJECTED(false),
    /** Projects already on the target and the imports planned before this row fill its project limit. */
    WOULD_EXCEED_LIMIT(false),
    /** The token's {@code se=} has passed. */
    EXPIRED(false),
    /** The token expires before the row's estimated send. */
    EXPIRES_BEFORE_SEND(false),
    /** The row is malformed. */
    INVALID(false),
    /** The row's {@code env:} key variable is not set: a run would leave the row open. */
    KEY_NOT_SET(false),
    /** The target's listing failed (throttled past the attempts, DNS, TLS): nothing could be checked. */
    NOT_CHECKED(false),
    /**
     * An earlier run of this input ended the row REJECTED, FAILED or IN_DOUBT: a run leaves it
     * as it is; its code and message are that run's.
     */
    ENDED(false),
    /** An earlier run of this input sent the row and its project exists: a run awaits it, sending nothing. */
    WOULD_AWAIT(true),
    /** The row names every project of a source resource: each is planned as a row of its own. */
    EXPANDED(true);

    private final boolean goesThrough;

    Verdict(boolean goesThrough) {
        this.goesThrough = goesThrough;
    }

    /** True when the row would end as the exit code 0 allows: imported, already imported or a duplicate. */
    boolean goesThrough() {
        return goesThrough;
    }
}
