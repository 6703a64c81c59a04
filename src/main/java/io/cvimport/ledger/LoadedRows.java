package io.cvimport.ledger;

import java.util.Set;

/** The rows of this input the ledger already holds, by row number: where a load resumes. */
public interface LoadedRows {

    /** The number of the last row held; 0 when none is. */
    long last();

    /** How many rows are held. */
    long count();

    /** The numbers held among rows {@code from..to}. */
    Set<Long> between(long from, long to);
}
