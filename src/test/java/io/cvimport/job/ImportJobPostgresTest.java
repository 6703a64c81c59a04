package io.cvimport.job;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.cvimport.support.Postgres;

/** {@link ImportJobTest} with its job repository in a real PostgreSQL, created by Flyway on first start. */
class ImportJobPostgresTest extends ImportJobTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> Postgres.url("import_job_test"));
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "postgres");
    }
}
