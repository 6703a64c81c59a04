package io.cvimport.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The import step's writes other than the send's own: each moves a row only from the states
 * that lead to it, and several of them together commit together or not at all.
 */
class ImportLedgerWritesTest {

    private LedgerDatabase database;
    private ImportLedger ledger;

    @BeforeEach
    void ledger() {
        database = new LedgerDatabase();
        ledger = database.ledger();
    }

    private void row(long rowNo, RowStatus status, String projectId) {
        ledger.insert(1, List.of(new LedgerRow(rowNo, status, "westus2", "t1", "token-" + rowNo, projectId, null, null,
                null)));
    }

    private String column(String column, long rowNo) {
        return database.jdbc().queryForObject("SELECT " + column + " FROM import_ledger WHERE row_no = ?", String.class,
                rowNo);
    }

    private RowStatus status(long rowNo) {
        return RowStatus.valueOf(column("status", rowNo));
    }

    private void submitting(long rowNo) {
        row(rowNo, RowStatus.PENDING, null);
        assertThat(ledger.markSubmitting(1, rowNo, 1000, false, Long.MAX_VALUE).mayBeSent()).isTrue();
    }

    @Test
    void anExportIsRecordedOnlyOnASubmittingRow() {
        submitting(1);
        row(2, RowStatus.PENDING, null);

        assertThat(ledger.markExported(1, 1, new ExportedCounts(2, 30, 4, 5, 6000), "export-1", 1100)).isTrue();
        assertThat(ledger.markExported(1, 2, new ExportedCounts(2, 30, 4, 5, 6000), "export-2", 1100)).isFalse();

        assertThat(ledger.exportedCounts(1, 1)).extracting(c -> c.tags()).isEqualTo(4);
        assertThat(ledger.exportedCounts(1, 2)).as("never exported").isNull();
        assertThat(column("exports", 1)).isEqualTo("1");
        assertThat(column("export_token_fp", 1)).isEqualTo("export-1");
    }

    @Test
    void aVerificationIsRecordedOnlyOnASucceededRowKeepingItsMessageWhenNoneIsGiven() {
        row(1, RowStatus.SUCCEEDED, "p-1");
        row(2, RowStatus.IMPORTING, "p-2");
        database.jdbc().update("UPDATE import_ledger SET message = 'done' WHERE row_no = 1");

        assertThat(ledger.markVerified(1, 1, true, null)).isTrue();
        assertThat(column("verified", 1)).isEqualToIgnoringCase("true");
        assertThat(column("message", 1)).isEqualTo("done");
        assertThat(ledger.markVerified(1, 1, false, "3 tags, 4 exported")).isTrue();
        assertThat(column("message", 1)).isEqualTo("3 tags, 4 exported");

        assertThat(ledger.markVerified(1, 2, true, null)).isFalse();
        assertThat(column("verified", 2)).isNull();
    }

    @Test
    void notSentKeepsAPendingRowPendingWithItsReasonAndMovesNoOther() {
        row(1, RowStatus.PENDING, null);
        submitting(2);

        assertThat(ledger.notSent(1, 1, "ExportFailed", "export refused")).isTrue();
        assertThat(status(1)).isEqualTo(RowStatus.PENDING);
        assertThat(column("error_code", 1)).isEqualTo("ExportFailed");

        assertThat(ledger.notSent(1, 2, "ExportFailed", "export refused")).isFalse();
        assertThat(status(2)).isEqualTo(RowStatus.SUBMITTING);
    }

    @Test
    void refusedUnsentRejectsOnlyAPendingRow() {
        row(1, RowStatus.PENDING, null);
        submitting(2);

        assertThat(ledger.refusedUnsent(1, 1, "Unauthorized", "key refused")).isTrue();
        assertThat(status(1)).isEqualTo(RowStatus.REJECTED);
        assertThat(ledger.refusedUnsent(1, 2, "Unauthorized", "key refused")).isFalse();
        assertThat(status(2)).isEqualTo(RowStatus.SUBMITTING);
    }

    @Test
    void stuckElsewhereFailsOnlyAPendingRowNamingTheStuckProject() {
        row(1, RowStatus.PENDING, null);
        row(2, RowStatus.IMPORTING, "p-2");

        assertThat(ledger.stuckElsewhere(1, 1, "p-9", "stuck")).isTrue();
        assertThat(status(1)).isEqualTo(RowStatus.FAILED);
        assertThat(column("project_id", 1)).isEqualTo("p-9");
        assertThat(column("error_code", 1)).isEqualTo("StuckImporting");
        assertThat(ledger.stuckElsewhere(1, 2, "p-2", "stuck")).isFalse();
        assertThat(status(2)).isEqualTo(RowStatus.IMPORTING);
    }

    @Test
    void giveUpFailsAnImportingRowAndKeepsItsClaim() {
        submitting(1);
        ledger.markImporting(1, 1, null, "p-1", 1100);
        row(2, RowStatus.PENDING, null);

        assertThat(ledger.giveUp(1, 1, "p-1", "still importing")).isTrue();
        assertThat(status(1)).isEqualTo(RowStatus.FAILED);
        assertThat(database.jdbc().queryForObject("SELECT COUNT(*) FROM import_claim WHERE row_no = 1", Long.class))
                .as("the project may yet succeed").isEqualTo(1);

        assertThat(ledger.giveUp(1, 2, "p-2", "still importing")).isFalse();
        assertThat(status(2)).isEqualTo(RowStatus.PENDING);
    }

    @Test
    void aMessageOfTheMaximumLengthIsKeptWholeAndALongerOneIsClipped() {
        row(1, RowStatus.PENDING, null);
        row(2, RowStatus.PENDING, null);
        String max = "m".repeat(1000);

        ledger.notSent(1, 1, "E", max);
        ledger.notSent(1, 2, "E", max + "x");

        assertThat(column("message", 1)).isEqualTo(max);
        assertThat(column("message", 2)).hasSize(1000).endsWith("...").startsWith("m".repeat(997));
        assertThat(LedgerTransitions.clip(null)).isNull();
    }

    @Test
    void writesTogetherAllCommit() {
        row(1, RowStatus.PENDING, null);
        row(2, RowStatus.PENDING, null);

        ledger.together(List.of(() -> ledger.notSent(1, 1, "A", "a"), () -> ledger.notSent(1, 2, "B", "b")));

        assertThat(column("error_code", 1)).isEqualTo("A");
        assertThat(column("error_code", 2)).isEqualTo("B");
    }

    @Test
    void aFailingWriteTogetherWithOthersUndoesThemAllAndIsThrown() {
        row(1, RowStatus.PENDING, null);

        assertThatThrownBy(() -> ledger.together(List.of(() -> ledger.notSent(1, 1, "A", "a"), () -> {
            throw new IllegalStateException("repository gone");
        }))).isInstanceOf(IllegalStateException.class);

        assertThat(column("error_code", 1)).isNull();
    }

    @Test
    void aClaimRefusedInsideWritesTogetherUndoesOnlyItsOwnWriteAhead() {
        submitting(1);
        // Row 2 needs the claim row 1 holds (same token, same target).
        ledger.insert(1, List.of(new LedgerRow(2, RowStatus.PENDING, "westus2", "t1", "token-1", null, null, null,
                null)));
        row(3, RowStatus.PENDING, null);
        Submission[] second = new Submission[1];

        ledger.together(List.of(() -> second[0] = ledger.markSubmitting(1, 2, 1200, false, Long.MAX_VALUE),
                () -> ledger.notSent(1, 3, "C", "c")));

        assertThat(second[0].mayBeSent()).isFalse();
        assertThat(second[0].heldBy()).isNotNull();
        assertThat(status(2)).isEqualTo(RowStatus.PENDING);
        assertThat(column("error_code", 3)).as("committed with the transaction").isEqualTo("C");
    }
}
