package io.cvimport.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import com.zaxxer.hikari.HikariDataSource;

/**
 * On an H2 file that writes its commits in the background (here after a minute, so that only
 * a checkpoint writes anything), the write-ahead of a send is in the file once submitting
 * returns, with every commit before it, and a later write is not: the database closed without
 * writing ({@code SHUTDOWN IMMEDIATELY}, as {@code kill -9} leaves it) keeps the row SUBMITTING.
 * Sends that write ahead at once share commits and checkpoints, and none waits for a connection.
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
        LedgerRows rows = new LedgerRows(database.ledger(), 1, Long.MAX_VALUE);
        assertThat(rows.submitting(1, 1_000, false).mayBeSent()).isTrue();
        rows.importing(1, "project-1", 2_000);

        assertThat(statusesAfterAKill(database)).containsExactly("1 SUBMITTING", "2 PENDING");
    }

    /** Each send that finds no checkpoint begun after its commit makes one. */
    @Test
    void sendsOneAfterTheOtherEachMakeACheckpoint() {
        LedgerDatabase database = open();
        load(database);
        LedgerRows rows = new LedgerRows(database.ledger(), 1, Long.MAX_VALUE);
        rows.submitting(1, 1_000, false);
        rows.submitting(2, 1_000, false);
        assertThat(database.ledger().writeAheadCheckpoints()).isEqualTo(2);
    }

    /**
     * Sixteen sends write ahead at the same moment through a pool of two connections: each
     * returns (no send waits for a connection that a waiting send holds), their write-aheads
     * shared fewer commits than there were sends and no more checkpoints than commits, and
     * each is in the file.
     */
    @Test
    void sendsAtTheSameMomentShareCommitsAndCheckpointsAndEachIsInTheFileWhenItReturns() throws Exception {
        int sends = 16;
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl(url());
            pool.setUsername("sa");
            pool.setMaximumPoolSize(2);
            pool.setConnectionTimeout(Duration.ofSeconds(30).toMillis());
            LedgerDatabase database = new LedgerDatabase(pool);
            database.jdbc().execute("SET WRITE_DELAY 60000");
            database.ledger().insert(1, LongStream.rangeClosed(1, sends).mapToObj(row -> new LedgerRow(row,
                    RowStatus.PENDING, "westus2", "target-" + row, "token-" + row, null, null, null, null)).toList());
            LedgerRows rows = new LedgerRows(database.ledger(), 1, Long.MAX_VALUE);
            CyclicBarrier together = new CyclicBarrier(sends);
            ExecutorService threads = Executors.newFixedThreadPool(sends);
            List<Future<Boolean>> sent = new ArrayList<>();
            for (long row = 1; row <= sends; row++) {
                long mine = row;
                sent.add(threads.submit(() -> {
                    together.await();
                    return rows.submitting(mine, 1_000, false).mayBeSent();
                }));
            }
            for (Future<Boolean> send : sent) {
                assertThat(send.get(60, TimeUnit.SECONDS)).isTrue();
            }
            threads.shutdown();
            // One checkpoint for each commit of write-aheads at most, made by the committer.
            assertThat(database.ledger().writeAheadCheckpoints()).isBetween(1L, rows.commits());
            assertThat(rows.commits()).isLessThan(sends);
            assertThat(statusesAfterAKill(database)).hasSize(sends).allMatch(line -> line.endsWith(" SUBMITTING"));
        }
    }
}
