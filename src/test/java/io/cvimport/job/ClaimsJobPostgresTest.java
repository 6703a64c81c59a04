package io.cvimport.job;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.cvimport.support.Postgres;

/** {@link ClaimsJobTest} with its job repository in a real PostgreSQL: the claim's unique key there. */
class ClaimsJobPostgresTest extends ClaimsJobTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> Postgres.url("claims_job_test"));
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "postgres");
    }
}
