package io.cvimport.imports.feed;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * The open rows a run did not work because they cannot be trusted on this run: rows whose
 * key variable is unset (left as they are; the run ends resumably) and rows that changed
 * under the job (nothing is sent for any of them; the run exits 2).
 */
public final class RowsLeftAlone {

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

    /** A changed input ends the run at once: nothing more is sent (exit 2). */
    public void throwIfChanged() {
        if (!changedRows.isEmpty()) {
            String rows = changedRows.stream().limit(ROWS_NAMED).map(String::valueOf).collect(Collectors.joining(", "))
                    + (changedRows.size() > ROWS_NAMED ? " and " + (changedRows.size() - ROWS_NAMED) + " more" : "");
            throw new UnusableInputException("the input changed under the job: " + (changedRows.size() == 1 ? "row "
                    : "rows ") + rows + " no longer match the ledger (" + String.join("; ", changes)
                    + "); nothing was sent for them. Restore the input and the key variables this job started with,"
                    + " or start a new job with a new input file");
        }
    }

    /**
     * Rows whose key variable is unset stay open, the run ends without them (exit 1) and the
     * next run with the variables set carries on: this names each missing variable once.
     */
    public @Nullable String keysUnavailable() {
        if (keyless == 0) {
            return null;
        }
        return keyless + (keyless == 1 ? " row was" : " rows were") + " left as they are: "
                + missingVariables.stream().map(name -> "environment variable " + name + " is not set")
                        .collect(Collectors.joining(", "))
                + "; set " + (missingVariables.size() == 1 ? "it" : "them") + " and re-run the same command";
    }
}
