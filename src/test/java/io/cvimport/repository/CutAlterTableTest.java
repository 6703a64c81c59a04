package io.cvimport.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import io.cvimport.job.BatchSchemaMigrationAccess;

/**
 * H2 adds a column by copying the table under a name of its own ({@code T_COPY_s_n}), dropping
 * {@code T} and renaming the copy, each step committed alone. A kill between the drop and the
 * rename (as one fell in a first start's migrations, in CI) leaves the history with the earlier
 * migrations and no {@code T}: the next start failed with "Table IMPORT_LEDGER not found".
 * The state is made here as H2 leaves it; the next start repairs it and keeps the rows.
 */
class CutAlterTableTest {

    @TempDir
    Path dir;

    private DataSource file() {
        SingleConnectionDataSource dataSource = new SingleConnectionDataSource(
                "jdbc:h2:file:" + dir.resolve("repository"), "sa", "", true);
        return dataSource;
    }

    private static Flyway flyway(DataSource dataSource, String target) {
        return Flyway.configure().dataSource(dataSource).locations("classpath:db/migration")
                .javaMigrations(new BatchSchemaMigrationAccess().migration()).target(target).load();
    }

    /**
     * As H2 leaves import_ledger when killed between its drop of the original and its rename of
     * the copy: the copy has the added column, and its indexes and constraints carry its name.
     */
    private static void cutBetweenDropAndRename(JdbcTemplate jdbc, String copy) {
        jdbc.execute("ALTER TABLE import_ledger ADD COLUMN source_region VARCHAR(100)");
        jdbc.execute("ALTER TABLE import_ledger RENAME TO " + copy);
        for (String index : jdbc.queryForList("SELECT INDEX_NAME FROM INFORMATION_SCHEMA.INDEXES WHERE TABLE_NAME = ?"
                + " AND INDEX_NAME NOT LIKE 'PRIMARY_KEY%'", String.class, copy)) {
            jdbc.execute("ALTER INDEX " + index + " RENAME TO " + copy + "_" + index);
        }
        jdbc.execute("ALTER TABLE " + copy + " RENAME CONSTRAINT IMPORT_LEDGER_PK TO " + copy + "_IMPORT_LEDGER_PK");
    }

    @Test
    void aFirstStartKilledInsideAnAlterTableStartsAgain() {
        DataSource dataSource = file();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        flyway(dataSource, "18").migrate();
        cutBetweenDropAndRename(jdbc, "IMPORT_LEDGER_COPY_3_1");

        new CurrentSchema().migrate(flyway(dataSource, "latest"));

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"version\" = '40'"
                + " AND \"success\"", Integer.class)).isEqualTo(1);
        assertThat(tables(jdbc)).contains("IMPORT_LEDGER").noneMatch(name -> name.contains("_COPY_"));
        assertThat(jdbc.queryForList("SELECT INDEX_NAME FROM INFORMATION_SCHEMA.INDEXES WHERE TABLE_NAME ="
                + " 'IMPORT_LEDGER'", String.class)).contains("IMPORT_LEDGER_TOKEN")
                .noneMatch(name -> name.contains("_COPY_"));
    }

    @Test
    void anUpgradeKilledInsideAnAlterTableKeepsItsRows() {
        DataSource dataSource = file();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        flyway(dataSource, "18").migrate();
        jdbc.update("INSERT INTO import_ledger (job_instance_id, row_no, status, updated_at) VALUES (7, 1, 'SUCCEEDED', 0)");
        cutBetweenDropAndRename(jdbc, "IMPORT_LEDGER_COPY_12_4");

        new CurrentSchema().migrate(flyway(dataSource, "latest"));

        assertThat(jdbc.queryForObject("SELECT status FROM import_ledger WHERE job_instance_id = 7 AND row_no = 1",
                String.class)).isEqualTo("SUCCEEDED");
        assertThat(tables(jdbc)).noneMatch(name -> name.contains("_COPY_"));
    }

    @Test
    void aCopyLeftBesideAWholeTableIsLeftAndTheMigrationsRunOnTheTable() {
        DataSource dataSource = file();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        flyway(dataSource, "18").migrate();
        jdbc.execute("CREATE TABLE IMPORT_LEDGER_COPY_5_2 AS SELECT * FROM import_ledger");

        new CurrentSchema().migrate(flyway(dataSource, "latest"));

        assertThat(tables(jdbc)).contains("IMPORT_LEDGER", "IMPORT_LEDGER_COPY_5_2");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME ="
                + " 'IMPORT_LEDGER' AND COLUMN_NAME = 'INPUT_ROW'", Integer.class)).isEqualTo(1);
    }

    @Test
    void aTableOfSomeoneElsesNamedLikeACopyIsLeftAlone() {
        DataSource dataSource = file();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        flyway(dataSource, "18").migrate();
        jdbc.execute("CREATE TABLE ORDERS_COPY_1_1 (id INT)");

        new CurrentSchema().migrate(flyway(dataSource, "latest"));

        assertThat(tables(jdbc)).contains("ORDERS_COPY_1_1").doesNotContain("ORDERS");
    }

    private static List<String> tables(JdbcTemplate jdbc) {
        return jdbc.queryForList("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC'",
                String.class);
    }
}
