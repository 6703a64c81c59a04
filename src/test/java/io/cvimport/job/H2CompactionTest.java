package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.zaxxer.hikari.HikariDataSource;

/**
 * The H2 file a run leaves is its live rows, not the chunks its commits replaced: 10,000 rows
 * updated in commits of a few, as the import step does, leave a file of about 80 MB that H2's
 * default close (200 ms to compact) does not shrink; the job's setting makes it 2-4 MB.
 */
class H2CompactionTest {

    @TempDir
    Path dir;

    @Test
    void aFileFullOfReplacedChunksIsCompactedWhenTheJobClosesIt() throws Exception {
        try (HikariDataSource dataSource = new HikariDataSource()) {
            dataSource.setJdbcUrl("jdbc:h2:file:" + dir.resolve("repository") + ";AUTO_SERVER=TRUE");
            dataSource.setUsername("sa");
            new H2Durability().postProcessBeforeInitialization(dataSource, "dataSource");
            new H2Compaction().postProcessBeforeInitialization(dataSource, "dataSource");
            churn(dataSource);
            assertThat(megabytes()).as("the replaced chunks, before the close").isGreaterThan(40);
        }
        assertThat(megabytes()).as("after the close").isLessThan(5);
    }

    @Test
    void anOperatorsOwnTimeAndDatabasesNotOpenedFromAFileAreLeftAsTheyAre() {
        assertThat(H2Compaction.withCompaction("jdbc:h2:file:/x/r;MAX_COMPACT_TIME=0")).endsWith("=0");
        assertThat(H2Compaction.withCompaction("jdbc:h2:mem:r")).isEqualTo("jdbc:h2:mem:r");
        assertThat(H2Compaction.withCompaction("jdbc:h2:tcp://host/r")).isEqualTo("jdbc:h2:tcp://host/r");
        assertThat(H2Compaction.withCompaction("jdbc:postgresql://host/db")).isEqualTo("jdbc:postgresql://host/db");
        assertThat(H2Compaction.withCompaction("jdbc:h2:file:/x/r;AUTO_SERVER=TRUE"))
                .isEqualTo("jdbc:h2:file:/x/r;AUTO_SERVER=TRUE;MAX_COMPACT_TIME=5000");
    }

    private double megabytes() throws Exception {
        return Files.size(dir.resolve("repository.mv.db")) / 1e6;
    }

    /**
     * 10,000 rows with the ledger's kind of index, each updated twice in commits of five, with
     * the repository's WRITE_DELAY 0: about 80 MB of chunks for 2 MB of rows, more than H2's
     * default close compacts in its 200 ms here.
     */
    private static void churn(HikariDataSource dataSource) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement ddl = connection.createStatement()) {
            ddl.execute("CREATE TABLE rows_ (instance BIGINT, id BIGINT, status VARCHAR(20), project VARCHAR(64),"
                    + " message VARCHAR(1000), updated_at BIGINT, PRIMARY KEY (instance, id))");
            ddl.execute("CREATE INDEX rows_status ON rows_ (instance, status)");
            ddl.execute("INSERT INTO rows_ SELECT 1, X, 'PENDING', NULL, NULL, 0 FROM SYSTEM_RANGE(1, 10000)");
            connection.setAutoCommit(false);
            try (PreparedStatement update = connection.prepareStatement("UPDATE rows_ SET status = ?, project = ?,"
                    + " message = ?, updated_at = ? WHERE instance = 1 AND id = ?")) {
                int writes = 0;
                for (String status : new String[] {"SUBMITTING", "IMPORTING"}) {
                    for (int row = 1; row <= 10_000; row++) {
                        update.setString(1, status);
                        update.setString(2, "project-" + row + "-0123456789abcdef");
                        update.setString(3, "message " + status + " " + row);
                        update.setLong(4, System.nanoTime());
                        update.setLong(5, row);
                        update.executeUpdate();
                        if (++writes % 5 == 0) {
                            connection.commit();
                        }
                    }
                }
            }
            connection.commit();
        }
    }
}
