package io.cvimport.repository;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.Location;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.migration.JavaMigration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * Flyway's migrate on every start, unless the repository's schema history already records
 * every migration of this jar as applied, and none as failed: then the schema is current and
 * migrate would only have validated it again, the largest single part of an empty run's
 * start. Anything else (a new repository, a migration of this jar not yet applied, a failed
 * one, a history this check cannot read, locations or schemas it does not know) goes to
 * Flyway's migrate as before, which validates, applies and reports; on H2, after a table that
 * a kill left half-altered is put back ({@link CutAlterTable}).
 */
@Component
class CurrentSchema implements FlywayMigrationStrategy {

    private static final Logger log = LoggerFactory.getLogger(CurrentSchema.class);

    @Override
    public void migrate(Flyway flyway) {
        Set<MigrationVersion> own = ownVersions(flyway.getConfiguration());
        if (own == null || !applied(flyway.getConfiguration()).containsAll(own)) {
            CutAlterTable.repair(flyway.getConfiguration());
            flyway.migrate();
        }
    }

    /** The versions of this jar's migrations, or null when they cannot all be known here. */
    static @Nullable Set<MigrationVersion> ownVersions(Configuration configuration) {
        if (configuration.getSchemas().length > 0 || configuration.getDefaultSchema() != null) {
            return null;
        }
        Set<MigrationVersion> versions = new HashSet<>();
        for (JavaMigration java : configuration.getJavaMigrations()) {
            versions.add(java.getVersion());
        }
        String prefix = configuration.getSqlMigrationPrefix();
        String separator = configuration.getSqlMigrationSeparator();
        try {
            if (!Arrays.stream(configuration.getLocations()).allMatch(Location::isClassPath)) {
                return null;
            }
            for (Resource file : sqlScripts(configuration)) {
                String name = file.getFilename();
                if (name == null || !name.startsWith(prefix) || !name.contains(separator)) {
                    return null; // a repeatable migration, a callback: Flyway's to judge
                }
                versions.add(MigrationVersion.fromVersion(name.substring(prefix.length(), name.indexOf(separator))));
            }
        }
        catch (IOException | RuntimeException unreadable) {
            return null;
        }
        return versions.isEmpty() ? null : versions;
    }

    /** The SQL scripts of the configuration's classpath locations (its others are not listed). */
    static List<Resource> sqlScripts(Configuration configuration) throws IOException {
        PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver(
                configuration.getClassLoader());
        List<Resource> scripts = new ArrayList<>();
        for (Location location : configuration.getLocations()) {
            if (location.isClassPath()) {
                for (String suffix : configuration.getSqlMigrationSuffixes()) {
                    scripts.addAll(List.of(resolver.getResources("classpath*:" + location.getRootPath() + "/**/*"
                            + suffix)));
                }
            }
        }
        return scripts;
    }

    /** The versions the schema history records as applied; none when any failed or it cannot be read. */
    private static Set<MigrationVersion> applied(Configuration configuration) {
        Set<MigrationVersion> versions = new HashSet<>();
        DataSource dataSource = configuration.getDataSource();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet history = statement.executeQuery("SELECT \"version\", \"success\" FROM \""
                        + configuration.getTable() + "\" WHERE \"version\" IS NOT NULL")) {
            while (history.next()) {
                if (!history.getBoolean(2)) {
                    return Set.of();
                }
                versions.add(MigrationVersion.fromVersion(history.getString(1)));
            }
        }
        catch (SQLException noHistory) {
            log.debug("no schema history to compare: {}", noHistory.getMessage());
            return Set.of();
        }
        return versions;
    }
}
