package io.cvimport.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ledger's reads: counts by status, the rows still to work, outcomes in row order. */
class LedgerReadsTest {

    private static final Set<RowStatus> PENDING = EnumSet.of(RowStatus.PENDING);

    private LedgerDatabase database;
    private ImportLedger ledger;

    @BeforeEach
    void ledger() {
        database = new LedgerDatabase();
        ledger = database.ledger();
    }

    private static LedgerRow row(long rowNo, RowStatus status, String target) {
        return new LedgerRow(rowNo, status, "westus2", target, "token-" + rowNo, null, null, null, null);
    }

    private static List<Long> rowNos(List<OpenRow> rows) {
        return rows.stream().map(OpenRow::rowNo).toList();
    }

    @Test
    void anEmptyLedgerHoldsNoRow() {
        LoadedRows loaded = ledger.loadedRows(1);

        assertThat(loaded.last()).isZero();
        assertThat(loaded.count()).isZero();
        assertThat(loaded.between(1, 10)).isEmpty();
        assertThat(ledger.countsByStatus(1)).isEmpty();
    }

    @Test
    void theLoadedRowsAreTheInstancesOwnByNumber() {
        ledger.insert(1, List.of(row(1, RowStatus.PENDING, "t1"), row(2, RowStatus.INVALID, null),
                row(5, RowStatus.PENDING, "t1")));
        ledger.insert(2, List.of(row(7, RowStatus.PENDING, "t1")));

        LoadedRows loaded = ledger.loadedRows(1);
        assertThat(loaded.last()).isEqualTo(5);
        assertThat(loaded.count()).isEqualTo(3);
        assertThat(loaded.between(2, 6)).containsExactlyInAnyOrder(2L, 5L);
    }

    @Test
    void rowsAreCountedByStatusPerInstance() {
        ledger.insert(1, List.of(row(1, RowStatus.PENDING, "t1"), row(2, RowStatus.PENDING, "t1"),
                row(3, RowStatus.INVALID, null), row(4, RowStatus.DUPLICATE, "t1")));
        ledger.insert(2, List.of(row(1, RowStatus.PENDING, "t1")));

        assertThat(ledger.count(1, PENDING)).isEqualTo(2);
        assertThat(ledger.count(1, EnumSet.of(RowStatus.INVALID, RowStatus.DUPLICATE))).isEqualTo(2);
        assertThat(ledger.count(1, EnumSet.of(RowStatus.SUCCEEDED))).isZero();
        assertThat(ledger.countsByStatus(1)).isEqualTo(Map.of(RowStatus.PENDING, 2L, RowStatus.INVALID, 1L,
                RowStatus.DUPLICATE, 1L));
    }

    @Test
    void openRowsBetweenAreThoseInTheStatusesInRowOrderWithWhatWasSent() {
        ledger.insert(1, List.of(row(3, RowStatus.PENDING, "t1"), row(1, RowStatus.PENDING, "t2"),
                row(2, RowStatus.INVALID, null), row(4, RowStatus.PENDING, "t3"), row(9, RowStatus.PENDING, "t1")));
        ledger.markSubmitting(1, 4, 1234, false, Long.MAX_VALUE);

        assertThat(rowNos(ledger.rowsBetween(1, 1, 4, PENDING))).containsExactly(1L, 3L);
        List<OpenRow> sent = ledger.rowsBetween(1, 1, 9, EnumSet.of(RowStatus.SUBMITTING));
        assertThat(sent).containsExactly(new OpenRow(4, RowStatus.SUBMITTING, "t3", null, 1234L, null, 1, "token-4"));
        assertThat(ledger.rowsBetween(1, 1, 1, PENDING).get(0).sentAt()).isNull();
    }

    @Test
    void rowsWithAnOffsetAndATargetAreReadAtTheirOffsetsTheOthersAreStreamed() {
        ledger.insert(1, List.of(row(1, RowStatus.PENDING, "t1").at(100L), row(2, RowStatus.PENDING, "t2").at(200L),
                row(3, RowStatus.PENDING, null).at(300L), row(4, RowStatus.PENDING, "t1"),
                row(5, RowStatus.PENDING, "t1").at(500L), row(6, RowStatus.INVALID, "t9").at(600L)));

        assertThat(rowNos(ledger.streamedRowsBetween(1, 1, 6, PENDING))).containsExactly(3L, 4L);
        assertThat(ledger.anyStreamed(1, PENDING)).isTrue();
        assertThat(ledger.anyStreamed(1, EnumSet.of(RowStatus.INVALID))).isFalse();

        assertThat(ledger.rowsAtOffsets(1, null, 0, 10, PENDING)).extracting(OpenRow::rowNo, OpenRow::inputOffset)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, 100L),
                        org.assertj.core.groups.Tuple.tuple(2L, 200L), org.assertj.core.groups.Tuple.tuple(5L, 500L));
        assertThat(rowNos(ledger.rowsAtOffsets(1, "t1", 0, 10, PENDING))).containsExactly(1L, 5L);
        assertThat(rowNos(ledger.rowsAtOffsets(1, "t1", 1, 10, PENDING))).as("after row 1").containsExactly(5L);
        assertThat(rowNos(ledger.rowsAtOffsets(1, null, 0, 2, PENDING))).as("two at most").containsExactly(1L, 2L);
        assertThat(ledger.targetsAtOffsets(1, PENDING)).containsExactly("t1", "t2");
    }

    @Test
    void aRowIsReadAtItsOffsetOnlyWithBothAnOffsetAndATarget() {
        assertThat(new OpenRow(1, RowStatus.PENDING, "t1", null, null, null, 0, null, 10L).atOffset()).isTrue();
        assertThat(new OpenRow(1, RowStatus.PENDING, null, null, null, null, 0, null, 10L).atOffset()).isFalse();
        assertThat(new OpenRow(1, RowStatus.PENDING, "t1", null, null, null, 0, null).atOffset()).isFalse();
    }

    @Test
    void claimedNamesTheProjectsSomeRowOfAnyRunOwns() {
        ledger.insert(1, List.of(new LedgerRow(1, RowStatus.SUCCEEDED, "westus2", "t1", "a", "p-1", null, null, null)));
        ledger.insert(2, List.of(new LedgerRow(1, RowStatus.IMPORTING, "westus2", "t2", "b", "p-2", null, null, null)));
        List<String> many = new ArrayList<>(LongStream.range(0, 600).mapToObj(i -> "q-" + i).toList());
        many.add("p-2");

        assertThat(ledger.claimed(List.of("p-1", "p-2", "p-3"))).containsExactlyInAnyOrder("p-1", "p-2");
        assertThat(ledger.claimed(many)).as("past one query's list").containsExactly("p-2");
        assertThat(ledger.claimed(List.of())).isEmpty();
    }

    @Test
    void outcomesAreStreamedInRowOrderWithTheirResourceAndSourceFacts() {
        ledger.insert(1, List.of(row(2, RowStatus.PENDING, "t2").from("eastus", "src-2"),
                row(1, RowStatus.INVALID, null)));
        database.link("t2", "t1");
        database.jdbc().update("""
                UPDATE import_ledger SET export_iterations = 1, export_images = 20, export_tags = 3,
                       export_regions = 4, export_estimate_ms = 5000, verified = FALSE WHERE row_no = 2
                """);
        List<Outcome> outcomes = new ArrayList<>();

        ledger.forEachOutcome(1, outcomes::add);

        assertThat(outcomes).extracting(Outcome::rowNo).containsExactly(1L, 2L);
        assertThat(outcomes.get(0).source()).isEqualTo(SourceFacts.NONE);
        assertThat(outcomes.get(0).resource()).isNull();
        assertThat(outcomes.get(1).resource()).isEqualTo("t1");
        assertThat(outcomes.get(1).source()).isEqualTo(new SourceFacts("eastus", "src-2", 1, 20, 3, 4, 5000L,
                false));
    }

    @Test
    void aVerifiedRowReadsAsVerified() {
        ledger.insert(1, List.of(row(1, RowStatus.SUCCEEDED, "t1")));
        ledger.markVerified(1, 1, true, null);
        List<Outcome> outcomes = new ArrayList<>();

        ledger.forEachOutcome(1, outcomes::add);

        assertThat(outcomes.get(0).source().verified()).isTrue();
    }

    @Test
    void theFirstRowsNotFineAreTheFirstInRowOrderUpToTheLimit() {
        ledger.insert(1, List.of(row(1, RowStatus.SUCCEEDED, "t1"), row(2, RowStatus.INVALID, null),
                row(3, RowStatus.DUPLICATE, "t1"), row(4, RowStatus.FAILED, "t1"), row(5, RowStatus.REJECTED, "t1")));

        assertThat(ledger.firstNotFine(1, 2)).extracting(Outcome::rowNo).containsExactly(2L, 4L);
        assertThat(ledger.firstNotFine(1, 10)).extracting(Outcome::status).containsExactly(RowStatus.INVALID,
                RowStatus.FAILED, RowStatus.REJECTED);
    }

    @Test
    void noPairsAskedFindNoFirstRows() {
        ledger.insert(1, List.of(row(1, RowStatus.PENDING, "t1")));

        assertThat(ledger.firstRows(1, List.of())).isEmpty();
        assertThat(ledger.succeededElsewhere(1, List.of())).isEmpty();
    }
}
