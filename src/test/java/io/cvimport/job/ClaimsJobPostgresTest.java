package io.cvimport.job;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.cvimport.support.Postgres;

/**
 * {@link ClaimsJobTest} with its job repository in a real PostgreSQL, the claim's unique key
 * there: a context of its own (another database).
 */
class ClaimsJobPostgresTest extends ClaimsJobTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        Postgres.repository(registry, "claims_job_test");
    }
}
