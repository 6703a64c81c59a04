package io.cvimport.job;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.cvimport.support.Postgres;

/** {@link RunAnswersJobTest} with its job repository in a real PostgreSQL: a context of its own (another database). */
class RunAnswersPostgresJobTest extends RunAnswersJobTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        Postgres.repository(registry, "run_answers_test");
    }
}
