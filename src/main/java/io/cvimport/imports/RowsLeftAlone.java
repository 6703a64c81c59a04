package io.cvimport.imports;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The open rows a run did not work because they cannot be trusted on this run: rows whose
 * key variable is unset (left as they are; the run fails, resumably) and rows that changed
 * under the job (nothing is sent for any of them; the run exits 2).
 */
final class RowsLeftAlone {

    private static final int ROWS_NAMED = 20;

    private final Set<String> missingVariables = new LinkedHashSet<>();
    private final List<Long> changedRows = new ArrayList<>();
    private final List<String> changes = new ArrayList<>();
    private long keyless;

    void keyUnavailable(String variable) {
        missingVariables.add(variable);
        keyless++;
    }

    void changed(long rowNo, String why) {
        changedRows.add(rowNo);
        if (changes.size() < 3) {
            changes.add("row " + rowNo + ": " + why);
        }
    }

    boolean anyChanged() {
        return !changedRows.isEmpty();
    }

    /** What ends the run, if anything: a changed input before missing keys. */
    void throwIfAny() {
        if (!changedRows.isEmpty()) {
            String rows = changedRows.stream().limit(ROWS_NAMED).map(String::valueOf).collect(Collectors.joining(", "))
                    + (changedRows.size() > ROWS_NAMED ? " and " + (changedRows.size() - ROWS_NAMED) + " more" : "");
            throw new UnusableInputException("the input changed under the job: " + (changedRows.size() == 1 ? "row "
                    : "rows ") + rows + " no longer match the ledger (" + String.join("; ", changes)
                    + "); nothing was sent for them. Restore the input and the key variables this job started with,"
                    + " or start a new job with a new input file");
        }
        if (keyless > 0) {
            throw new KeysUnavailableException(keyless + (keyless == 1 ? " row was" : " rows were")
                    + " left as they are: " + missingVariables.stream().map(name -> "environment variable " + name
                            + " is not set").collect(Collectors.joining(", "))
                    + "; set " + (missingVariables.size() == 1 ? "it" : "them") + " and re-run the same command");
        }
    }

    /** Keys are read from the environment on every run; without them, rows wait for the next run. */
    static final class KeysUnavailableException extends RuntimeException {
        KeysUnavailableException(String message) {
            super(message);
        }
    }
}
