package io.cvimport.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.batch.infrastructure.item.Chunk;

/**
 * The load step's two rules, without a job: a later row of the same input with the same
 * token for the same target resource is DUPLICATE of the first; a row whose token an earlier
 * run (of any input) already imported into that resource is ALREADY_IMPORTED, unless the
 * operator asks for a re-import. Rows are compared across chunks and through resource links.
 */
class LedgerWriterTest {

    private static final long INPUT = 7;
    private static final long OTHER_INPUT = 3;

    private final LedgerDatabase database = new LedgerDatabase();

    private static LedgerRow pending(long rowNo, @Nullable String target, String token) {
        return new LedgerRow(rowNo, RowStatus.PENDING, "westus2", target, token, null, null,
                target == null ? "environment variable CV_KEY is not set" : null, "tenant-" + rowNo);
    }

    private void write(long instance, boolean reimport, LedgerRow... rows) {
        new LedgerWriter(database.ledger(), database.resources(), instance, reimport).write(new Chunk<>(List.of(rows)));
    }

    private void write(LedgerRow... rows) {
        write(INPUT, false, rows);
    }

    private Outcome outcome(long instance, long rowNo) {
        return new ClosedRows(database.jdbc()).row(instance, rowNo)
                .orElseThrow(() -> new AssertionError("no row " + rowNo + " of instance " + instance));
    }

    private Outcome outcome(long rowNo) {
        return outcome(INPUT, rowNo);
    }

    /** An earlier run of another input whose row imported this token into this target. */
    private void importedEarlier(long instance, long rowNo, String target, String token, String projectId) {
        database.ledger().insert(instance, List.of(new LedgerRow(rowNo, RowStatus.SUCCEEDED, "westus2", target, token,
                projectId, null, null, null)));
    }

    @Test
    void aLaterRowWithTheSameTokenAndTargetIsADuplicateOfTheFirst() {
        write(pending(1, "tA", "tok1"), pending(2, "tA", "tok2"), pending(3, "tA", "tok1"), pending(4, "tA", "tok1"));

        assertThat(outcome(1).status()).isEqualTo(RowStatus.PENDING);
        assertThat(outcome(2).status()).isEqualTo(RowStatus.PENDING);
        for (long row : List.of(3L, 4L)) {
            Outcome duplicate = outcome(row);
            assertThat(duplicate.status()).isEqualTo(RowStatus.DUPLICATE);
            assertThat(duplicate.errorCode()).isEqualTo("Duplicate");
            assertThat(duplicate.message()).as("it names the first row, not the one just before")
                    .isEqualTo("same token and target as row 1");
            assertThat(duplicate.projectId()).isNull();
            assertThat(duplicate.extras()).as("the row keeps its extra columns").isEqualTo("tenant-" + row);
            assertThat(duplicate.tokenFp()).isEqualTo("tok1");
            assertThat(duplicate.targetFp()).isEqualTo("tA");
        }
    }

    @Test
    void theSameTokenForAnotherTargetOrAnotherTokenForTheSameTargetIsNoDuplicate() {
        write(pending(1, "tA", "tok1"), pending(2, "tB", "tok1"), pending(3, "tA", "tok2"));

        assertThat(List.of(outcome(1), outcome(2), outcome(3))).extracting(Outcome::status)
                .containsOnly(RowStatus.PENDING);
    }

    @Test
    void aDuplicateIsFoundAcrossChunks() {
        write(pending(1, "tA", "tok1"), pending(2, "tB", "tok2"));
        write(pending(3, "tB", "tok2"), pending(4, "tA", "tok3"));
        write(pending(5, "tA", "tok1"));

        assertThat(outcome(3).status()).isEqualTo(RowStatus.DUPLICATE);
        assertThat(outcome(3).message()).isEqualTo("same token and target as row 2");
        assertThat(outcome(4).status()).isEqualTo(RowStatus.PENDING);
        assertThat(outcome(5).status()).isEqualTo(RowStatus.DUPLICATE);
        assertThat(outcome(5).message()).isEqualTo("same token and target as row 1");
    }

    @Test
    void twoTargetsOfOneResourceAreOneTarget() {
        // tB is a rotated key (or the custom subdomain) of tA's resource.
        database.link("tB", "tA");

        write(pending(1, "tA", "tok1"), pending(2, "tB", "tok1"));
        write(pending(3, "tB", "tok1"), pending(4, "tC", "tok1"));

        assertThat(outcome(2).status()).isEqualTo(RowStatus.DUPLICATE);
        assertThat(outcome(2).message()).isEqualTo("same token and target as row 1");
        assertThat(outcome(3).status()).isEqualTo(RowStatus.DUPLICATE);
        assertThat(outcome(4).status()).as("another resource").isEqualTo(RowStatus.PENDING);
    }

    @Test
    void rowsThatAreNotPendingOrHaveNoTargetYetAreWrittenAsTheyCame() {
        LedgerRow invalid = new LedgerRow(2, RowStatus.INVALID, null, null, null, null, null, "unknown region", null);
        LedgerRow expired = new LedgerRow(3, RowStatus.REJECTED, "westus2", "tA", "tok1", null, "TokenExpired",
                "the export token expired", null);
        write(pending(1, null, "tok1"), invalid, expired, pending(4, null, "tok1"), pending(5, "tA", "tok1"));

        assertThat(outcome(1).status()).as("its key's variable is unset: compared once it is")
                .isEqualTo(RowStatus.PENDING);
        assertThat(outcome(1).message()).isEqualTo("environment variable CV_KEY is not set");
        assertThat(outcome(2).status()).isEqualTo(RowStatus.INVALID);
        assertThat(outcome(3).status()).isEqualTo(RowStatus.REJECTED);
        assertThat(outcome(3).errorCode()).isEqualTo("TokenExpired");
        assertThat(outcome(4).status()).isEqualTo(RowStatus.PENDING);
        assertThat(outcome(5).status()).as("the first comparable row of its pair").isEqualTo(RowStatus.PENDING);
    }

    @Test
    void aTokenAnEarlierRunImportedIntoTheTargetIsAlreadyImported() {
        importedEarlier(OTHER_INPUT, 12, "tA", "tok1", "project-1");

        write(pending(1, "tA", "tok1"), pending(2, "tB", "tok1"), pending(3, "tA", "tok2"));

        Outcome already = outcome(1);
        assertThat(already.status()).isEqualTo(RowStatus.ALREADY_IMPORTED);
        assertThat(already.projectId()).as("the project the earlier run made").isEqualTo("project-1");
        assertThat(already.errorCode()).isEqualTo("AlreadyImported");
        assertThat(already.message()).isEqualTo("imported by an earlier run");
        assertThat(outcome(2).status()).as("another target").isEqualTo(RowStatus.PENDING);
        assertThat(outcome(3).status()).as("another token").isEqualTo(RowStatus.PENDING);
    }

    @Test
    void onlyAnEarlierSuccessCounts() {
        // Imports still on their way are held back by their claims when sent, not at load.
        RowStatus[] notImported = { RowStatus.FAILED, RowStatus.REJECTED, RowStatus.INVALID, RowStatus.DUPLICATE,
                RowStatus.IN_DOUBT, RowStatus.TIMED_OUT, RowStatus.IMPORTING, RowStatus.SUBMITTING,
                RowStatus.PENDING };
        List<LedgerRow> rows = new ArrayList<>();
        for (int i = 0; i < notImported.length; i++) {
            database.ledger().insert(OTHER_INPUT, List.of(new LedgerRow(i + 1, notImported[i], "westus2", "tA",
                    "tok" + i, notImported[i] == RowStatus.IMPORTING ? "p-" + i : null, null, null, null)));
            rows.add(pending(i + 1, "tA", "tok" + i));
        }

        write(rows.toArray(LedgerRow[]::new));

        for (int i = 0; i < notImported.length; i++) {
            assertThat(outcome(i + 1).status()).as("earlier %s", notImported[i]).isEqualTo(RowStatus.PENDING);
        }
    }

    @Test
    void anImportThroughAnotherTargetOfTheSameResourceCounts() {
        importedEarlier(OTHER_INPUT, 1, "tA", "tok1", "project-1");
        database.link("tB", "tA");

        write(pending(1, "tB", "tok1"));

        assertThat(outcome(1).status()).isEqualTo(RowStatus.ALREADY_IMPORTED);
        assertThat(outcome(1).projectId()).isEqualTo("project-1");
    }

    @Test
    void theEarliestImportIsNamedWhenSeveralRunsImportedTheToken() {
        importedEarlier(5, 9, "tA", "tok1", "project-of-5");
        importedEarlier(OTHER_INPUT, 4, "tA", "tok1", "project-of-3");

        write(pending(1, "tA", "tok1"));

        assertThat(outcome(1).projectId()).isEqualTo("project-of-3");
    }

    @Test
    void aSuccessOfThisInputsOwnLedgerIsNoEarlierRun() {
        // A later pass of the same input works the same ledger: its rows are duplicates, not earlier runs.
        importedEarlier(INPUT, 1, "tA", "tok1", "project-1");

        write(pending(2, "tA", "tok1"));

        assertThat(outcome(2).status()).isEqualTo(RowStatus.DUPLICATE);
        assertThat(outcome(2).message()).isEqualTo("same token and target as row 1");
    }

    @Test
    void withReimportAnEarlierImportIsImportedAgainButDuplicatesStayDuplicates() {
        importedEarlier(OTHER_INPUT, 1, "tA", "tok1", "project-1");

        write(INPUT, true, pending(1, "tA", "tok1"), pending(2, "tA", "tok1"));

        assertThat(outcome(1).status()).isEqualTo(RowStatus.PENDING);
        assertThat(outcome(1).projectId()).isNull();
        assertThat(outcome(2).status()).isEqualTo(RowStatus.DUPLICATE);
    }

    @Test
    void aDuplicateOfARowThatWasAlreadyImportedIsADuplicate() {
        importedEarlier(OTHER_INPUT, 1, "tA", "tok1", "project-1");

        write(pending(1, "tA", "tok1"));
        write(pending(2, "tA", "tok1"));

        assertThat(outcome(1).status()).isEqualTo(RowStatus.ALREADY_IMPORTED);
        assertThat(outcome(2).status()).isEqualTo(RowStatus.DUPLICATE);
        assertThat(outcome(2).message()).isEqualTo("same token and target as row 1");
    }

    @Test
    void aChunkLargerThanOneQueryIsComparedWhole() {
        // Queries take at most 500 tokens or targets at once: rows past the first 500 are compared too.
        int size = 1200;
        List<LedgerRow> first = new ArrayList<>();
        List<LedgerRow> second = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            first.add(pending(i, "t" + i, "tok" + i));
            second.add(pending(size + i, "t" + i, "tok" + i));
        }
        importedEarlier(OTHER_INPUT, 1, "t1100", "tok1100", "project-1100");
        write(first.toArray(LedgerRow[]::new));
        write(second.toArray(LedgerRow[]::new));

        assertThat(outcome(1100).status()).isEqualTo(RowStatus.ALREADY_IMPORTED);
        assertThat(outcome(1099).status()).isEqualTo(RowStatus.PENDING);
        assertThat(outcome(size + 1).status()).isEqualTo(RowStatus.DUPLICATE);
        assertThat(outcome(size + 1199).status()).isEqualTo(RowStatus.DUPLICATE);
        assertThat(outcome(size + 1199).message()).isEqualTo("same token and target as row 1199");
        assertThat(database.ledger().countsByStatus(INPUT)).containsEntry(RowStatus.DUPLICATE, (long) size)
                .containsEntry(RowStatus.PENDING, size - 1L).containsEntry(RowStatus.ALREADY_IMPORTED, 1L);
    }
}
