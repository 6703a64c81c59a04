package io.cvimport.ledger;

import org.jspecify.annotations.Nullable;

/**
 * The one rule for a row whose token (or source project) and target resource are already
 * taken: by an earlier row of the same input, DUPLICATE; by an earlier run's import that
 * succeeded, ALREADY_IMPORTED. The load step, the plan and a row that learns its target late
 * (its key variable was unset, or its refused key was replaced) all judge by it.
 *
 * @param status    DUPLICATE or ALREADY_IMPORTED
 * @param projectId the project the earlier run made, for ALREADY_IMPORTED
 */
public record TakenPair(RowStatus status, @Nullable String projectId, String code, String message) {

    /**
     * How the pair is taken for row {@code rowNo}, or null when it is not.
     *
     * @param firstRow the first row of this input with the same pair; null if none
     * @param earlier  an earlier run's import of the pair that succeeded; null if none (or import.reimport)
     * @param source   whether the row names its source project rather than a token
     */
    public static @Nullable TakenPair of(long rowNo, @Nullable Long firstRow, @Nullable Outcome earlier,
            boolean source) {
        if (firstRow != null && firstRow < rowNo) {
            return new TakenPair(RowStatus.DUPLICATE, null, "Duplicate",
                    "same " + (source ? "source project" : "token") + " and target as row " + firstRow);
        }
        if (earlier != null) {
            return new TakenPair(RowStatus.ALREADY_IMPORTED, earlier.projectId(), "AlreadyImported",
                    "imported by an earlier run");
        }
        return null;
    }
}
