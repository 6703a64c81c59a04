package io.cvimport.job;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.Locale;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ScriptUtils;
import org.springframework.stereotype.Component;

/**
 * Version 1 of the schema: Spring Batch's own tables, from the script Spring Batch ships
 * for the database at hand, so that a new H2 file or an empty PostgreSQL just works.
 */
@Component
class BatchSchemaMigration implements JavaMigration {

    /**
     * H2 commits DDL at once, so a first start killed halfway leaves some tables behind
     * and no record of the migration: the next start runs it again, and must not fail.
     */
    static String idempotent(String script) {
        return script.replaceAll("(?im)^(\\s*CREATE\\s+(TABLE|SEQUENCE))\\s+(?!IF\\s+NOT\\s+EXISTS)", "$1 IF NOT EXISTS ");
    }

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("1");
    }

    @Override
    public String getDescription() {
        return "spring batch schema";
    }

    @Override
    public @Nullable Integer getChecksum() {
        return null;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        String platform = product.contains("postgres") ? "postgresql" : product.contains("h2") ? "h2" : null;
        if (platform == null) {
            throw new IllegalStateException("unsupported job repository database: " + product);
        }
        String script = new ClassPathResource("org/springframework/batch/core/schema-" + platform + ".sql")
                .getContentAsString(StandardCharsets.UTF_8);
        ScriptUtils.executeSqlScript(connection, new ByteArrayResource(idempotent(script).getBytes(StandardCharsets.UTF_8)));
    }
}
