package io.cvimport.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/** Which ledger an execution works on; a row compared with itself is no duplicate of itself. */
class LedgerKeyAndComparisonTest {

    @Test
    void aFirstPassWorksTheLedgerOfItsOwnInstanceALaterPassTheOneItNames() {
        JobExecution first = new JobExecution(1L, new JobInstance(41L, "import"), new JobParameters());
        JobExecution later = new JobExecution(2L, new JobInstance(42L, "import"),
                new JobParametersBuilder().addLong(LedgerKey.PARAMETER, 41L).toJobParameters());

        assertThat(LedgerKey.of(first)).isEqualTo(41L);
        assertThat(LedgerKey.of(later)).isEqualTo(41L);
    }

    @Test
    void aRowComparedAgainWithItsOwnFirstSightingIsUnchanged() {
        LedgerRow row = new LedgerRow(7, RowStatus.PENDING, "westus2", "t1", "a", null, null, null, null);
        TokenTarget pair = new TokenTarget("a", "t1");
        Map<TokenTarget, Long> seen = new HashMap<>(Map.of(pair, 7L));

        assertThat(LedgerWriter.compared(row, pair, seen, Map.of())).isSameAs(row);
        assertThat(LedgerWriter.compared(row.at(null), pair, new HashMap<>(Map.of(pair, 6L)), Map.of()).status())
                .isEqualTo(RowStatus.DUPLICATE);
    }
}
