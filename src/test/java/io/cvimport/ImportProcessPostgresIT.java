package io.cvimport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.cvimport.support.Postgres;

/** {@link ImportProcessIT} with the job repository in a real PostgreSQL: restart, kill -9, locks. */
class ImportProcessPostgresIT extends ImportProcessIT {

    private static int databases;

    private String database;

    @Override
    List<String> repository() {
        return List.of("--spring.datasource.url=" + url(), "--spring.datasource.username=postgres",
                "--spring.datasource.password=postgres");
    }

    private String url() {
        if (database == null) {
            // A database of its own per test: each test is a fresh repository, as with H2.
            database = "process_it_" + (++databases) + "_" + ProcessHandle.current().pid();
        }
        return Postgres.url(database);
    }

    @Override
    Connection openRepository() throws Exception {
        return DriverManager.getConnection(url(), "postgres", "postgres");
    }

    /**
     * Not again on PostgreSQL: six of its seven runs are refused before any job (a missing or
     * broken input, an unknown option, a plain-http endpoint), the same whatever the repository,
     * and a run that ends 0 on PostgreSQL is every other test's here.
     */
    @Override
    void exitCodes() {
    }

    /**
     * A run is frozen (a paused VM, Ctrl-Z) and its lock's database session dies meanwhile
     * (a network cut, a server that drops idle sessions): its lock is gone, and the next run
     * takes over. When the frozen run wakes up, it must not send another import,
     * even while the run that took over is itself paused and has rows left.
     */
    @Test
    void aFrozenRunThatLostItsSessionSendsNothingWhenItWakes() throws Exception {
        emulator.importDelay(Duration.ofMillis(500), Duration.ZERO);
        // Six rows: two sent before the freeze, one by the run that takes over, three left that the
        // woken run must not send (each import two seconds after the last at 0.5 calls/s).
        Path input = input("frozen.csv", rowsOfOneTarget("frozen-", 6));
        JarProcess first = JarProcess.start(dir, args(input, "--import.rate-per-target=0.5"));
        waitForImports(2);
        first.pause();
        JarProcess second = null;
        try {
            // The session that holds the run's advisory lock dies; its other connections live on.
            try (Connection connection = openRepository(); var statement = connection.createStatement()) {
                statement.execute("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'"
                        + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
            }
            second = takeOver(input, emulator.imports() + 1);
            second.pause();
            long imports = emulator.imports();
            // An import claimed before the freeze may still leave; no other may.
            long onTheirWay = submitting();
            first.resume();
            int code = first.waitFor(180);
            assertThat(emulator.imports()).as("imports sent by the run that lost its lock")
                    .isLessThanOrEqualTo(imports + onTheirWay);
            assertThat(code).as(first.output()).isEqualTo(1);
            assertThat(first.output()).contains("lost its lock");
            second.resume();
            assertThat(second.waitFor(240)).as(second.output()).isEqualTo(0);
        }
        finally {
            // Nothing frozen or running is left behind when an assertion failed.
            first.kill9();
            if (second != null) {
                second.kill9();
            }
        }
        for (int i = 0; i < 6; i++) {
            assertThat(emulator.importsOf(KEYS[0], token("frozen-" + i))).isEqualTo(1);
        }
    }

    private long submitting() throws Exception {
        try (Connection connection = openRepository(); var statement = connection.createStatement();
                var count = statement.executeQuery("SELECT COUNT(*) FROM import_ledger WHERE status = 'SUBMITTING'")) {
            count.next();
            return count.getLong(1);
        }
    }

    /** Starts the next run until it is let in (a lock that only expires refuses it for a while) and has sent an import. */
    private JarProcess takeOver(Path input, long importsAfter) throws Exception {
        for (int attempt = 0; attempt < 30; attempt++) {
            JarProcess next = JarProcess.start(dir, args(input, "--import.rate-per-target=0.5"));
            long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
            while (next.isAlive() && emulator.imports() < importsAfter && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            if (next.isAlive()) {
                return next;
            }
            assertThat(next.waitFor(10)).as(next.output()).isEqualTo(4);
            Thread.sleep(1000);
        }
        throw new AssertionError("the frozen run's lock was never taken over");
    }
}
