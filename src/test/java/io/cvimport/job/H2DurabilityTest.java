package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import com.zaxxer.hikari.HikariDataSource;

/**
 * An H2 repository writes each commit at once (WRITE_DELAY 0) whatever the operator set:
 * a commit held back for H2's default half second is lost by {@code kill -9}, and with it
 * the record of an import already sent.
 */
class H2DurabilityTest {

    @TempDir
    Path dir;

    /** Every value H2 reports for the setting (it reports it twice). */
    private java.util.List<String> writeDelay(String initSql) {
        try (HikariDataSource dataSource = new HikariDataSource()) {
            dataSource.setJdbcUrl("jdbc:h2:file:" + dir.resolve("repository"));
            dataSource.setUsername("sa");
            if (initSql != null) {
                dataSource.setConnectionInitSql(initSql);
            }
            new H2Durability().postProcessBeforeInitialization(dataSource, "dataSource");
            return new JdbcTemplate(dataSource).queryForList(
                    "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME LIKE '%WRITE_DELAY'",
                    String.class);
        }
    }

    @Test
    void withoutInitSqlCommitsAreWrittenAtOnce() {
        assertThat(writeDelay(null)).containsOnly("0");
    }

    @Test
    void anOperatorsInitSqlDoesNotBringTheDelayBack() {
        assertThat(writeDelay("SET LOCK_TIMEOUT 20000")).containsOnly("0");
    }

    @Test
    void anOperatorsOwnWriteDelayIsOverridden() {
        assertThat(writeDelay("SET WRITE_DELAY 500")).containsOnly("0");
    }
}
