package io.cvimport.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import io.cvimport.support.Postgres;

/**
 * Two claim releases grouped in one transaction (rows of one target ending FAILED and REJECTED) hold the
 * first claim's lock while the second waits; a link of that target, moving its claims at the
 * same moment, locks them in the other order: the database ends the deadlock by undoing the
 * link, which is tried again once the group has committed (on PostgreSQL and on H2).
 */
class GroupedReleaseLinkDeadlockPostgresTest {

    @Test
    void groupedReleasesAndALinkOfTheSameTargetDoNotDeadlock() throws Exception {
        groupedReleasesAndALink(new LedgerDatabase(
                new DriverManagerDataSource(Postgres.url("review_group_deadlock"), "postgres", "")),
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'");
    }

    @Test
    void groupedReleasesAndALinkOfTheSameTargetDoNotDeadlockOnH2() throws Exception {
        groupedReleasesAndALink(new LedgerDatabase(),
                "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE BLOCKER_ID IS NOT NULL");
    }

    private void groupedReleasesAndALink(LedgerDatabase database, String lockWaits) throws Exception {
        ImportLedger ledger = database.ledger();
        ledger.insert(1, List.of(
                new LedgerRow(1, RowStatus.PENDING, "westus2", "t2", "token-1", null, null, null, null),
                new LedgerRow(2, RowStatus.PENDING, "westus2", "t2", "token-2", null, null, null, null),
                new LedgerRow(3, RowStatus.SUCCEEDED, "westus2", "t0", "token-3", "p-0", null, null, null)));
        // One import of unknown outcome per resource: row 2's is answered before row 1 is sent.
        assertThat(ledger.markSubmitting(1, 2, 1000, false, Long.MAX_VALUE).mayBeSent()).isTrue();
        assertThat(ledger.markImporting(1, 2, null, "p-2", 1001)).isTrue();
        assertThat(ledger.markSubmitting(1, 1, 1002, false, Long.MAX_VALUE).mayBeSent()).isTrue();

        CountDownLatch firstReleased = new CountDownLatch(1);
        CompletableFuture<Void> grouped = CompletableFuture.runAsync(() -> ledger.together(List.of(
                () -> ledger.finish(1, 2, null, RowStatus.FAILED, "p-2", null, "the project failed", null),
                () -> {
                    firstReleased.countDown();
                    waitForALockWait(database, lockWaits);
                },
                () -> ledger.finish(1, 1, null, RowStatus.REJECTED, null, "BadRequest", "refused", null))));
        assertThat(firstReleased.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<String> link = CompletableFuture.supplyAsync(() -> database.resources().link("t2", "t0"));

        grouped.get(60, TimeUnit.SECONDS);
        Throwable linkFailure = null;
        try {
            link.get(60, TimeUnit.SECONDS);
        }
        catch (java.util.concurrent.ExecutionException e) {
            linkFailure = e.getCause();
        }
        assertThat(linkFailure).as("the link's failure").isNull();
        assertThat(database.jdbc().queryForList("SELECT status FROM import_ledger WHERE row_no IN (1, 2) ORDER BY row_no",
                String.class)).containsExactly("REJECTED", "FAILED");
    }

    /** Until another backend waits on a lock (the link, on the claim the group released), or 10 s. */
    private static void waitForALockWait(LedgerDatabase database, String lockWaits) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try (var connection = database.dataSource().getConnection(); var statement = connection.createStatement()) {
            while (System.nanoTime() < until) {
                var waiting = statement.executeQuery(lockWaits);
                waiting.next();
                if (waiting.getLong(1) > 0) {
                    return;
                }
                Thread.sleep(20);
            }
        }
        catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
