package io.cvimport.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cvimport.ledger.Outcome;
import io.cvimport.ledger.RowStatus;
import io.cvimport.reopen.ReopenProperties;
import io.cvimport.imports.lanes.LostAnswer;

/** What the plan says of rows the input's last run ended or sent: what a run would do with them. */
class EarlierOutcomesTest {

    static final EarlierOutcomes.Reopen NO_OPTIONS = new EarlierOutcomes.Reopen(
            new ReopenProperties(List.of(), List.of()), false);

    static Outcome row(long number, RowStatus status, String code) {
        return new Outcome(number, status, "westus2", "target", "token" + number, "project-" + number, code,
                "said " + code, null, null, "resource");
    }

    @Test
    void eachEarlierStatusBecomesTheVerdictARunWouldGive() {
        Map<RowStatus, Verdict> expected = Map.of(RowStatus.SUCCEEDED, Verdict.ALREADY_IMPORTED,
                RowStatus.ALREADY_IMPORTED, Verdict.ALREADY_IMPORTED, RowStatus.DUPLICATE, Verdict.DUPLICATE,
                RowStatus.INVALID, Verdict.INVALID, RowStatus.REJECTED, Verdict.ENDED, RowStatus.FAILED,
                Verdict.ENDED, RowStatus.IN_DOUBT, Verdict.ENDED, RowStatus.SUBMITTING, Verdict.WOULD_AWAIT,
                RowStatus.IMPORTING, Verdict.WOULD_AWAIT, RowStatus.TIMED_OUT, Verdict.WOULD_AWAIT);
        expected.forEach((status, verdict) -> assertThat(EarlierOutcomes.planned(row(1, status, "Code"), false)
                .verdict()).as(status.name()).isEqualTo(verdict));

        PlannedRow rejected = EarlierOutcomes.planned(row(2, RowStatus.REJECTED, "BadRequestInvalidImportToken"), false);
        assertThat(rejected.code()).isEqualTo("BadRequestInvalidImportToken");
        assertThat(rejected.reason()).startsWith("REJECTED in an earlier run of this input: said")
                .endsWith("a run leaves it as it is");
        assertThat(rejected.verdict().goesThrough()).isFalse();
    }

    @Test
    void rowsTheOptionsReopenAreJudgedAgainAndAnAdoptedRowIsAwaited() {
        EarlierOutcomes.Reopen reopen = new EarlierOutcomes.Reopen(
                new ReopenProperties(List.of("BadRequestInvalidImportToken"), List.of("4:chosen")), true);
        Outcome retried = row(1, RowStatus.REJECTED, "BadRequestInvalidImportToken");
        Outcome kept = row(2, RowStatus.REJECTED, "BadRequestExceedProjectLimit");
        Outcome resent = row(3, RowStatus.IN_DOUBT, "LostAnswer");
        Outcome adopted = row(4, RowStatus.IN_DOUBT, "LostAnswer");

        assertThat(List.of(retried, kept, resent, adopted)).map(reopen::sendsAgain)
                .containsExactly(true, false, true, false);
        assertThat(NO_OPTIONS.sendsAgain(retried)).isFalse();
        assertThat(NO_OPTIONS.sendsAgain(resent)).isFalse();
        assertThat(EarlierOutcomes.merge(List.of(), Map.of(4L, adopted), reopen).get(0).verdict())
                .isEqualTo(Verdict.WOULD_AWAIT);
    }
}
