package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import com.zaxxer.hikari.HikariDataSource;

/**
 * An H2 repository writes its commits in the background within half a second, also a file an
 * earlier version set to write each commit at once (WRITE_DELAY 0): the write-aheads are
 * checkpointed on their own (WriteAheadFlushTest). Space no longer used is written over at
 * once. An operator's own settings come after.
 */
class H2DurabilityTest {

    @TempDir
    Path dir;

    private java.util.List<String> writeDelay(String initSql) {
        return setting("WRITE_DELAY", initSql);
    }

    /** Every value H2 reports for the setting (it reports some twice). */
    private java.util.List<String> setting(String name, String initSql) {
        try (HikariDataSource dataSource = new HikariDataSource()) {
            dataSource.setJdbcUrl("jdbc:h2:file:" + dir.resolve("repository"));
            dataSource.setUsername("sa");
            if (initSql != null) {
                dataSource.setConnectionInitSql(initSql);
            }
            new H2Durability().postProcessBeforeInitialization(dataSource, "dataSource");
            return new JdbcTemplate(dataSource).queryForList(
                    "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME LIKE ?",
                    String.class, "%" + name);
        }
    }

    @Test
    void withoutInitSqlCommitsAreWrittenInTheBackground() {
        assertThat(writeDelay(null)).containsOnly("500");
    }

    @Test
    void spaceNoLongerUsedIsWrittenOverAtOnce() {
        assertThat(setting("RETENTION_TIME", null)).containsOnly("0");
        assertThat(setting("RETENTION_TIME", "SET RETENTION_TIME 45000")).containsOnly("45000");
    }

    @Test
    void aFileAnEarlierVersionSetToWriteAtOnceWritesInTheBackground() {
        writeDelay("SET WRITE_DELAY 0");
        assertThat(writeDelay(null)).containsOnly("500");
    }

    @Test
    void anOperatorsInitSqlRunsAfterTheDelay() {
        assertThat(writeDelay("SET LOCK_TIMEOUT 20000")).containsOnly("500");
        assertThat(writeDelay("SET WRITE_DELAY 0")).containsOnly("0");
    }
}
