package io.cvimport.job;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.cvimport.support.Postgres;

/**
 * {@link ImportJobTest} with its job repository in a real PostgreSQL, created by Flyway on
 * first start: a context of its own (another database).
 */
class ImportJobPostgresTest extends ImportJobTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        Postgres.repository(registry, "import_job_test");
    }
}
