package io.cvimport.job;

import org.flywaydb.core.api.migration.JavaMigration;

/** The job's Java migration (version 1, Spring Batch's tables) for tests of other packages that migrate a schema as the job does. */
public final class BatchSchemaMigrationAccess {

    public JavaMigration migration() {
        return new BatchSchemaMigration();
    }
}
