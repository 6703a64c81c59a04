package io.cvimport;

import static io.cvimport.RemoteCluster.freePort;
import static io.cvimport.RemoteCluster.settledHere;
import static io.cvimport.RemoteCluster.token;
import static io.cvimport.RemoteCluster.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cvimport.support.RestartablePostgres;

/**
 * Issue 12, workers' leases where they are hardest to judge: a repository outage that stops
 * every heartbeat, and a partition claimed by a live worker that never started it. Both were
 * found by a hostile review and failed on c2fda37, the first version of the leases.
 */
class WorkerLeasePostgresIT {

    @TempDir
    Path dir;

    private RemoteCluster cluster;
    private RestartablePostgres postgres;

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private JarProcess manager(Path input, int port, String... more) throws Exception {
        List<String> args = cluster.common("--input=" + input, "--scale.role=manager", "--scale.broker=embedded",
                "--scale.broker-port=" + port);
        args.addAll(List.of(more));
        return cluster.launch(args);
    }

    private JarProcess worker(int port, String... more) throws Exception {
        List<String> args = cluster.common("--scale.role=worker", "--spring.artemis.broker-url=tcp://localhost:"
                + port);
        args.addAll(List.of(more));
        return cluster.launch(args);
    }

    /**
     * A repository outage that a single run rides through (8 s, well within
     * import.repository-outage-tolerance, 60 s by default) must not make the manager take a live
     * worker for dead: heartbeats stop for everyone while the database is away, and the manager
     * judges them on the database's clock the moment it is back. Expected: the worker keeps its
     * partition and the run ends 0. On c2fda37 the manager revokes the live worker's lease as soon
     * as the database answers, the worker exits 1, and with no worker left the run fails. What
     * matters is an outage longer than the lease: a 3 s lease and an 8 s outage (the default
     * 20 s lease took a 25 s outage, for the same point).
     */
    @Test
    void aRepositoryOutageShorterThanItsToleranceDoesNotRevokeALiveWorker() throws Exception {
        postgres = new RestartablePostgres(dir.resolve("pgdata"));
        cluster = new RemoteCluster(dir, postgres.url("lease_outage"));
        // At 24 calls a second, a run that goes on for over 10 s after the database is back (480 rows
        // took 38 s after it, with 432 still pending at the outage).
        int rows = 240;
        Path input = cluster.input("outage", rows);
        int port = freePort();
        // A lease shorter than the outage, and the default outage tolerance (60 s).
        JarProcess manager = manager(input, port, "--import.partitions=2", "--import.rate-per-target=1",
                "--scale.worker-lease=3s", "--scale.worker-timeout=20s");
        JarProcess worker = worker(port, "--import.rate-per-target=1", "--scale.worker-lease=3s",
                "--scale.worker-partitions=2");
        waitFor("the worker to settle rows", () -> settledHere(worker));
        assertThat(cluster.statuses().getOrDefault("PENDING", 0L)).as("rows still to send at the outage")
                .isPositive();

        postgres.stop();
        Thread.sleep(8_000);
        postgres.start();

        int code = manager.waitFor(300);
        String outputs = manager.output() + "\n--- worker:\n" + worker.output();
        assertThat(worker.output()).as(outputs).doesNotContain("this worker's lease was revoked");
        assertThat(code).as(outputs).isZero();
        assertThat(cluster.statuses()).containsExactly(Map.entry("SUCCEEDED", (long) rows));
        cluster.assertImportedOnce("outage", rows);
    }

    /**
     * A worker's claim of a partition (partition_worker) commits before Spring Batch starts the
     * step; AbstractStep writes STARTED outside its try, so a statement error there (a deadlock, a
     * statement timeout, a cancel: not an outage, which is ridden through) escapes to
     * StepExecutionRequestHandler, which swallows it: the request is acknowledged, the step
     * execution stays STARTING, claimed by a worker whose lease lives. The manager sends a
     * partition again only when its worker's lease is lost, and gives up only when no worker is
     * alive: expected, the partition runs (again) and the run ends; on c2fda37 the manager waits
     * for ever. One such error is injected by a trigger raising SQLSTATE 40P01 once.
     */
    @Test
    void aPartitionWhoseStartFailedOnItsWorkerIsNotWaitedForForEver() throws Exception {
        cluster = new RemoteCluster(dir);
        int rows = 48;
        Path input = cluster.input("unstarted", rows);
        int port = freePort();
        JarProcess manager = manager(input, port, "--import.partitions=2", "--import.rate-per-target=4",
                "--scale.worker-lease=3s", "--scale.worker-timeout=20s");
        String url = io.cvimport.support.Postgres.url(cluster.database);
        waitFor("the manager to create the job repository's tables", () -> {
            try (var connection = java.sql.DriverManager.getConnection(url, "postgres", "postgres");
                    var statement = connection.createStatement();
                    var found = statement.executeQuery("SELECT COUNT(*) FROM batch_step_execution"
                            + " WHERE step_name LIKE 'import:partition%'")) {
                return found.next() && found.getLong(1) == 2;
            }
            catch (java.sql.SQLException notYet) {
                return false;
            }
        });
        try (var connection = java.sql.DriverManager.getConnection(url, "postgres", "postgres");
                var statement = connection.createStatement()) {
            statement.execute("CREATE SEQUENCE start_refusals");
            statement.execute("""
                    CREATE FUNCTION refuse_first_start() RETURNS trigger AS $$
                    BEGIN
                      IF OLD.status = 'STARTING' AND NEW.status = 'STARTED'
                         AND NEW.step_name LIKE 'import:partition%' AND nextval('start_refusals') = 1 THEN
                        RAISE EXCEPTION 'deadlock detected (injected)' USING ERRCODE = '40P01';
                      END IF;
                      RETURN NEW;
                    END $$ LANGUAGE plpgsql""");
            statement.execute("CREATE TRIGGER refuse_first_start BEFORE UPDATE ON batch_step_execution"
                    + " FOR EACH ROW EXECUTE FUNCTION refuse_first_start()");
        }
        JarProcess worker = worker(port, "--import.rate-per-target=4", "--scale.worker-lease=3s",
                "--scale.worker-partitions=2");

        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(180).toNanos();
        while (manager.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        String state = "partitions: " + cluster.counts("SELECT s.step_execution_id || ' ' || s.status || ' claimed by '"
                + " || COALESCE(p.worker, 'nobody') || ' lease ' || COALESCE(l.lock_key, 'gone'), 1"
                + " FROM batch_step_execution s LEFT JOIN partition_worker p ON p.step_execution_id = s.step_execution_id"
                + " LEFT JOIN run_lock l ON l.lock_key = p.lease_key WHERE s.step_name LIKE 'import:partition%'")
                .keySet() + "; rows: " + cluster.statuses();
        System.out.println(state);
        assertThat(manager.isAlive()).as("manager still running after 180 s; " + state + "\n--- manager:\n"
                + manager.output() + "\n--- worker:\n" + worker.output()).isFalse();
        assertThat(manager.waitFor(10)).as(manager.output()).isZero();
        assertThat(cluster.statuses()).containsExactly(Map.entry("SUCCEEDED", (long) rows));
    }
}
