package io.cvimport.imports;

import io.cvimport.customvision.TargetResource;
import io.cvimport.input.InputRow;
import io.cvimport.ledger.OpenRow;

/** An open row read from the input and found to be the one the ledger recorded, with its target. */
record HandedRow(OpenRow row, InputRow input, TargetResource target) {

    /**
     * Gives the row to the engine by its state: to send, to reconcile, or to await.
     *
     * @return false when it is to send and the engine's window stayed full until {@code untilNanos}
     */
    boolean handTo(ImportEngine engine, long untilNanos) throws InterruptedException {
        switch (row.status()) {
            case PENDING -> {
                return engine.send(target, row.rowNo(), input.token(), untilNanos);
            }
            case SUBMITTING -> engine.reconcile(target, row.rowNo(), input.token(),
                    row.sentAt() == null ? 0 : row.sentAt(), row.answeredAt());
            case IMPORTING, TIMED_OUT -> engine.await(target, row.rowNo(), String.valueOf(row.projectId()),
                    row.sentAt() == null ? 0 : row.sentAt());
            default -> throw new IllegalStateException("row " + row.rowNo() + " is not open: " + row.status());
        }
        return true;
    }

    @Override
    public String toString() {
        return "HandedRow[" + row.rowNo() + "]";
    }
}
