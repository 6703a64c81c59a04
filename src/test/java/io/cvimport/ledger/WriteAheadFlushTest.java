package io.cvimport.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * On an H2 file that writes its commits in the background (here after a minute, so that only
 * a checkpoint writes anything), the write-ahead of a send is in the file once markSubmitting
 * returns, with every commit before it, and a later write is not: the database closed without
 * writing ({@code SHUTDOWN IMMEDIATELY}, as {@code kill -9} leaves it) keeps the row SUBMITTING.
 */
class WriteAheadFlushTest {

    @TempDir
    Path dir;

    private String url() {
        return "jdbc:h2:file:" + dir.resolve("repository") + ";DB_CLOSE_DELAY=-1";
    }

    private LedgerDatabase open() {
        LedgerDatabase database = new LedgerDatabase(new DriverManagerDataSource(url(), "sa", ""));
        database.jdbc().execute("SET WRITE_DELAY 60000");
        return database;
    }

    private static void load(LedgerDatabase database) {
        database.ledger().insert(1, List.of(
                new LedgerRow(1, RowStatus.PENDING, "westus2", "target", "token-1", null, null, null, null),
                new LedgerRow(2, RowStatus.PENDING, "westus2", "other", "token-2", null, null, null, null)));
    }

    /** What the file holds after the database was closed without writing. */
    private List<String> statusesAfterAKill(LedgerDatabase database) {
        database.jdbc().execute("SHUTDOWN IMMEDIATELY");
        return new JdbcTemplate(new DriverManagerDataSource(url(), "sa", "")).queryForList(
                "SELECT row_no || ' ' || status FROM import_ledger ORDER BY row_no", String.class);
    }

    @Test
    void theWriteAheadAndEveryCommitBeforeItAreInTheFileWhenItReturns() {
        LedgerDatabase database = open();
        load(database);
        assertThat(database.ledger().markSubmitting(1, 1, 1_000, false).mayBeSent()).isTrue();
        database.ledger().markImporting(1, 1, 1, "project-1", 2_000);

        assertThat(statusesAfterAKill(database)).containsExactly("1 SUBMITTING", "2 PENDING");
    }

    @Test
    void insideACallersTransactionItIsWrittenOnceThatCommits() {
        LedgerDatabase database = open();
        load(database);
        TransactionTemplate outer = new TransactionTemplate(new DataSourceTransactionManager(database.dataSource()));
        outer.executeWithoutResult(status -> {
            database.ledger().markSubmitting(1, 2, 1_000, false);
            database.ledger().markSubmitting(1, 1, 1_000, false);
        });

        assertThat(statusesAfterAKill(database)).containsExactly("1 SUBMITTING", "2 SUBMITTING");
    }
}
