package io.cvimport.ledger;

import java.util.EnumSet;
import java.util.Set;

/** Where a row stands. The first three are states on the way; the rest are outcomes. */
public enum RowStatus {
    /** Judged valid, not sent yet. */
    PENDING,
    /** Recorded as about to be sent; until a project id is recorded, the import may or may not exist. */
    SUBMITTING,
    /** The service made the project; waiting for its status to leave Importing. */
    IMPORTING,

    SUCCEEDED, FAILED, REJECTED, INVALID, DUPLICATE, ALREADY_IMPORTED, TIMED_OUT, IN_DOUBT,
    /**
     * A row naming every project of a source resource: never sent itself, each project has a
     * row of its own (numbered after the input's rows; see io.cvimport.sources).
     */
    EXPANDED;

    /** Outcomes that let a run exit 0. */
    public static final Set<RowStatus> FINE = EnumSet.of(SUCCEEDED, ALREADY_IMPORTED, DUPLICATE, EXPANDED);

    /** Rows the import step still has to work on, on any run. */
    public static final Set<RowStatus> OPEN = EnumSet.of(PENDING, SUBMITTING, IMPORTING, TIMED_OUT);

    /** Rows whose project exists or may exist: the token must not be imported into that target again. */
    public static final Set<RowStatus> HOLDS_PROJECT = EnumSet.of(SUBMITTING, IMPORTING, SUCCEEDED, TIMED_OUT, IN_DOUBT);

    /**
     * The states a row can reach this outcome from: a writer that comes late (an answer
     * that arrives after another run settled the row) moves nothing.
     *
     * @throws IllegalArgumentException for a state on the way, which no outcome write sets
     */
    Set<RowStatus> reachedFrom() {
        return switch (this) {
            case SUCCEEDED, FAILED, TIMED_OUT -> EnumSet.of(IMPORTING, TIMED_OUT);
            case REJECTED -> EnumSet.of(SUBMITTING);
            // From PENDING: a row whose token another row's in-doubt import already claims.
            case IN_DOUBT -> EnumSet.of(PENDING, SUBMITTING);
            case INVALID, DUPLICATE, ALREADY_IMPORTED, EXPANDED -> EnumSet.of(PENDING);
            case PENDING, SUBMITTING, IMPORTING -> throw new IllegalArgumentException(this + " is not an outcome");
        };
    }
}
