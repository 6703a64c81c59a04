package io.cvimport.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What another run does between two statements of ours, played by a subclass that answers as
 * if that run had just acted: a claim released between its refusal and the read of its
 * holder is tried again, three times at most; a link that races another run's is tried
 * again, rolling back to its savepoint only, and given up after three races.
 */
class LedgerRacesTest {

    private LedgerDatabase database;
    private DataSourceTransactionManager transactions;

    @BeforeEach
    void ledger() {
        database = new LedgerDatabase();
        transactions = new DataSourceTransactionManager(database.dataSource());
    }

    /** Refused each time, its holder gone each time it is asked for. */
    private static final class ReleasedMeanwhile extends ImportClaims {

        final AtomicInteger takes = new AtomicInteger();

        ReleasedMeanwhile(LedgerDatabase database) {
            super(database.jdbc());
        }

        @Override
        boolean take(SendKey send, long now) {
            takes.incrementAndGet();
            return false;
        }

        @Override
        ClaimHolder holderFor(long instance, long row) {
            return null;
        }
    }

    /** Says a target is not linked yet the first {@code races} times it is asked, as when another run links it meanwhile. */
    private static final class LinkedMeanwhile extends ResourceLinks {

        private final AtomicInteger races;

        LinkedMeanwhile(LedgerDatabase database, DataSourceTransactionManager transactions, int races) {
            super(database.jdbc(), transactions);
            this.races = new AtomicInteger(races);
        }

        @Override
        public boolean isLinked(String targetFp) {
            return races.getAndDecrement() <= 0 && super.isLinked(targetFp);
        }
    }

    @Test
    void aClaimReleasedBetweenItsRefusalAndTheReadOfItsHolderIsTriedThreeTimesAtMost() {
        ReleasedMeanwhile claims = new ReleasedMeanwhile(database);
        ImportLedger ledger = new ImportLedger(database.jdbc(), claims, new ImportSlots(database.jdbc()), transactions,
                new Fence());
        ledger.insert(1, List.of(new LedgerRow(1, RowStatus.PENDING, "westus2", "t1", "a", null, null, null, null)));

        assertThat(ledger.markSubmitting(1, 1, 1000, false, Long.MAX_VALUE)).isEqualTo(Submission.NOT_PENDING);

        assertThat(claims.takes).hasValue(3);
        assertThat(database.jdbc().queryForObject("SELECT status FROM import_ledger", String.class))
                .isEqualTo("PENDING");
    }

    @Test
    void aLinkThatRacesAnotherRunsIsTriedAgainInsideTheCallersTransaction() {
        database.link("t2", "t1");
        LinkedMeanwhile links = new LinkedMeanwhile(database, transactions, 1);

        String resource = new TransactionTemplate(transactions).execute(status -> links.link("t3", "t1"));

        assertThat(resource).isEqualTo("t1");
        assertThat(database.resources().resourceOf("t3")).isEqualTo("t1");
        assertThat(database.resources().resourceOf("t2")).isEqualTo("t1");
    }

    @Test
    void aLinkThatRacesThreeTimesIsGivenUp() {
        database.link("t2", "t1");
        LinkedMeanwhile links = new LinkedMeanwhile(database, transactions, Integer.MAX_VALUE);

        assertThatThrownBy(() -> links.link("t3", "t1")).isInstanceOf(DuplicateKeyException.class);
        assertThat(database.resources().isLinked("t3")).isFalse();
    }
}
