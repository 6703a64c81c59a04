package io.cvimport.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import io.cvimport.job.BatchSchemaMigrationAccess;

/**
 * Flyway's migrate is skipped only for a schema history that records every migration of the
 * jar as applied; a new repository, a missing migration or a failed one still goes to Flyway.
 */
class CurrentSchemaTest {

    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final DataSource dataSource = new DriverManagerDataSource(
            "jdbc:h2:mem:schema-" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1", "sa", "");
    private final JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    private final AtomicInteger migrations = new AtomicInteger();

    /** The job's own migrations, as Boot configures them (the Java one besides the SQL ones), counting migrate calls. */
    private Flyway flyway() {
        return new Flyway(Flyway.configure().dataSource(dataSource).locations("classpath:db/migration")
                .javaMigrations(new BatchSchemaMigrationAccess().migration())) {
            @Override
            public MigrateResult migrate() {
                migrations.incrementAndGet();
                return super.migrate();
            }
        };
    }

    @Test
    void aNewRepositoryIsMigratedAndACurrentOneLeftAsItIs() {
        new CurrentSchema().migrate(flyway());
        assertThat(migrations).hasValue(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"success\"",
                Integer.class)).isGreaterThan(10);

        new CurrentSchema().migrate(flyway());
        assertThat(migrations).as("every migration recorded: Flyway is not asked").hasValue(1);
    }

    @Test
    void aMigrationTheHistoryLacksGoesToFlyway() {
        new CurrentSchema().migrate(flyway());
        String latest = jdbc.queryForObject("SELECT MAX(\"installed_rank\") FROM \"flyway_schema_history\"",
                String.class);
        jdbc.update("DELETE FROM \"flyway_schema_history\" WHERE \"installed_rank\" = ?", Integer.parseInt(latest));

        new CurrentSchema().migrate(flyway());
        assertThat(migrations).hasValue(2);
    }

    @Test
    void aFailedMigrationGoesToFlyway() {
        new CurrentSchema().migrate(flyway());
        jdbc.update("UPDATE \"flyway_schema_history\" SET \"success\" = FALSE WHERE \"version\" = '2'");

        try {
            new CurrentSchema().migrate(flyway());
        }
        catch (RuntimeException flywayReportsIt) {
            assertThat(flywayReportsIt).hasMessageContaining("failed");
        }
        assertThat(migrations).hasValue(2);
    }

    @Test
    void theJarsOwnVersionsAreItsSqlFilesAndItsJavaMigration() {
        assertThat(CurrentSchema.ownVersions(flyway().getConfiguration())).contains(MigrationVersion.fromVersion("1"),
                MigrationVersion.fromVersion("2"), MigrationVersion.fromVersion("4.9"), MigrationVersion.fromVersion("40"));
        assertThat(CurrentSchema.ownVersions(Flyway.configure().dataSource(dataSource)
                .locations("filesystem:/tmp").load().getConfiguration())).as("a location it cannot list").isNull();
    }
}
