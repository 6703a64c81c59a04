package io.cvimport;

import static io.cvimport.RemoteCluster.freePort;
import static io.cvimport.RemoteCluster.partitionsStarted;
import static io.cvimport.RemoteCluster.settledHere;
import static io.cvimport.RemoteCluster.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Issue 12, remote partitioning: a worker lost mid-partition, killed or frozen. Its partition
 * runs again on the other worker once its lease lapses; every row is imported once. The rest
 * of remote partitioning is {@link RemotePartitioningPostgresIT}'s; these two, each a minute,
 * are a class of their own so that the two test JVMs share the whole-process tests evenly.
 */
class RemoteWorkerLossPostgresIT extends RemoteClusterFixture {

    /** At 2 calls a second per target, long enough that a worker is lost with rows still to send. */
    private static final int ROWS = 600;

    /** A manager and its two workers, on an input of {@link #ROWS} rows. */
    private record Running(Path input, int port, JarProcess manager, JarProcess first, JarProcess second) {
    }

    /** Starts a manager and two workers on input {@code name}, and waits until both have settled rows. */
    private Running bothWorkersSettling(String name) throws Exception {
        Path input = cluster.input(name, ROWS);
        int port = freePort();
        JarProcess manager = cluster.manager(input, port);
        JarProcess first = cluster.worker(port);
        JarProcess second = cluster.worker(port);
        waitFor("both workers to settle rows", () -> settledHere(first) && settledHere(second));
        return new Running(input, port, manager, first, second);
    }

    @Test
    void aManagerHostingTheBrokerAndTwoWorkersImportEveryRowOnceWhenOneWorkerIsKilled() throws Exception {
        Running run = bothWorkersSettling("remote");
        JarProcess manager = run.manager();
        JarProcess first = run.first();
        JarProcess second = run.second();
        // Then one dies mid-partition, without a word.
        assertThat(cluster.statuses().getOrDefault("PENDING", 0L)).as("rows still to send when a worker dies")
                .isPositive();
        JarProcess dead = settledHere(first) ? first : second;
        JarProcess survivor = dead == first ? second : first;
        // --status from another process names each partition's worker.
        String status = cluster.status();
        assertThat(status).as(status).contains("partition 0 of 2: STARTED, worker pid ")
                .contains("partition 1 of 2: STARTED, worker pid ").contains("pid " + dead.pid() + " on ");
        long killed = System.nanoTime();
        dead.kill9();
        waitFor("the dead worker's partition to start again on the survivor", () -> partitionsStarted(survivor) == 2);
        long takenOver = System.nanoTime() - killed;
        System.out.printf("worker killed: its partition running again on the survivor after %.1f s%n",
                takenOver / 1e9);

        int code = manager.waitFor(300);

        assertThat(code).as(manager.output() + "\n--- worker 1:\n" + first.output() + "\n--- worker 2:\n"
                + second.output()).isEqualTo(0);
        assertThat(takenOver).as("from the kill to the partition running again").isLessThan(60_000_000_000L);
        assertThat(cluster.statuses()).containsExactly(Map.entry("SUCCEEDED", (long) ROWS));
        cluster.assertImportedOnce("remote", ROWS);
        // The manager, not the broker, sent the dead worker's partition again, as a new step execution.
        assertThat(manager.output()).containsPattern("import:partition\\dof2 \\(step execution \\d+\\): its worker,"
                + " pid " + dead.pid() + " on .*, did not renew its lease for \\d+ s; its lease is revoked; the"
                + " partition is sent again as step execution \\d+");
        assertThat(cluster.counts("SELECT status, COUNT(*) FROM batch_step_execution WHERE step_name LIKE"
                + " 'import:partition%' GROUP BY status")).containsExactlyInAnyOrderEntriesOf(Map.of("COMPLETED", 2L,
                        "FAILED", 1L));
        assertThat(survivor.output()).as(survivor.output()).contains("this is partition 0 of 2")
                .contains("this is partition 1 of 2").containsPattern("import calls: .*imports=[1-9]");
        assertThat(manager.output()).doesNotContain("this is partition");
        // Workers run until stopped, and stop on SIGTERM (waitFor fails the test when it has not ended by then).
        assertThat(survivor.isAlive()).isTrue();
        survivor.terminate();
        survivor.waitFor(60);
    }

    /**
     * A worker frozen mid-partition (a paused VM) keeps its broker connection and its database
     * session: only its lease says it is gone. Its partition runs again elsewhere; thawed, it
     * sends nothing more (its fencing token is revoked) and exits 1.
     */
    @Test
    void aFrozenWorkersPartitionRunsElsewhereAndTheThawedWorkerSendsNothingMore() throws Exception {
        Running run = bothWorkersSettling("frozen");
        JarProcess manager = run.manager();
        JarProcess frozen = run.first();
        JarProcess survivor = run.second();
        long froze = System.nanoTime();
        frozen.pause();
        waitFor("the frozen worker's partition to start again on the survivor",
                () -> partitionsStarted(survivor) == 2);
        long takenOver = System.nanoTime() - froze;
        System.out.printf("worker frozen: its partition running again on the survivor after %.1f s%n",
                takenOver / 1e9);
        frozen.resume();

        assertThat(frozen.waitFor(120)).as(frozen.output()).isEqualTo(1);
        assertThat(frozen.output()).contains("this worker's lease was revoked");
        int code = manager.waitFor(300);
        String outputs = manager.output() + "\n--- frozen:\n" + frozen.output() + "\n--- survivor:\n"
                + survivor.output();
        if (code == 1) {
            // Frozen between its write-ahead and that transaction's commit, the worker held the row: the
            // survivor found it not pending, and the thawed worker, fenced, sent nothing. The row is left
            // SUBMITTING for the next run, which reconciles it: the same command.
            assertThat(cluster.statuses()).as(outputs).containsOnlyKeys("SUCCEEDED", "SUBMITTING");
            code = cluster.manager(run.input(), run.port()).waitFor(300);
        }

        assertThat(code).as(outputs).isEqualTo(0);
        assertThat(takenOver).as("from the freeze to the partition running again").isLessThan(60_000_000_000L);
        assertThat(cluster.statuses()).containsExactly(Map.entry("SUCCEEDED", (long) ROWS));
        cluster.assertImportedOnce("frozen", ROWS);
        survivor.terminate();
        survivor.waitFor(60);
    }
}
