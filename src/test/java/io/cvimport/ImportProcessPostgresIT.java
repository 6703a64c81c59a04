package io.cvimport;

import java.util.List;

import io.cvimport.support.Postgres;

/** {@link ImportProcessIT} with the job repository in a real PostgreSQL: restart, kill -9, locks. */
class ImportProcessPostgresIT extends ImportProcessIT {

    private static int databases;

    private String database;

    @Override
    List<String> repository() {
        if (database == null) {
            // A database of its own per test: each test is a fresh repository, as with H2.
            database = "process_it_" + (++databases) + "_" + ProcessHandle.current().pid();
        }
        return List.of("--spring.datasource.url=" + Postgres.url(database), "--spring.datasource.username=postgres",
                "--spring.datasource.password=postgres");
    }
}
