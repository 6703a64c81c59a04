package io.cvimport;

import static io.cvimport.RemoteCluster.freePort;
import static io.cvimport.RemoteCluster.settledHere;
import static io.cvimport.RemoteCluster.token;
import static io.cvimport.RemoteCluster.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ICoreMessage;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;
import org.apache.activemq.artemis.core.transaction.Transaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cvimport.support.InMemoryBroker;

/**
 * Issue 12, remote partitioning: a manager and worker JVMs sharing an embedded PostgreSQL,
 * the partitions' requests over an Artemis broker: every row's outcome, one import per row,
 * every worker settling rows; nothing but ids crosses the broker; H2 refused.
 */
class RemotePartitioningPostgresIT {

    @TempDir
    Path dir;

    RemoteCluster cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = new RemoteCluster(dir);
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    /** Workers renew their lease every second; the manager takes a partition over after 3 s without. */
    private static final String LEASE = "--scale.worker-lease=3s";

    /** A manager hosting the broker, at 2 calls/s per target so that the run is still going when a worker dies. */
    private JarProcess manager(Path input, int port, String... more) throws Exception {
        List<String> args = cluster.common("--input=" + input, "--scale.role=manager", "--import.partitions=2",
                "--import.rate-per-target=2", "--scale.broker=embedded", "--scale.broker-port=" + port, LEASE);
        args.addAll(List.of(more));
        return cluster.launch(args);
    }

    private JarProcess worker(int port) throws Exception {
        return cluster.launch(cluster.common("--scale.role=worker", "--spring.artemis.broker-url=tcp://localhost:"
                + port, "--import.rate-per-target=2", LEASE));
    }

    private static long partitionsStarted(JarProcess worker) {
        return worker.output().lines().filter(line -> line.contains("over every partition; this is partition"))
                .count();
    }

    @Test
    void aManagerHostingTheBrokerAndTwoWorkersImportEveryRowOnceWhenOneWorkerIsKilled() throws Exception {
        int rows = 600;
        Path input = cluster.input("remote", rows);
        int port = freePort();
        JarProcess manager = manager(input, port);
        JarProcess first = worker(port);
        JarProcess second = worker(port);
        // Both workers settle rows; then one dies mid-partition, without a word.
        waitFor("both workers to settle rows", () -> settledHere(first) && settledHere(second));
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
        assertThat(cluster.statuses()).containsExactly(Map.entry("SUCCEEDED", (long) rows));
        cluster.assertImportedOnce("remote", rows);
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
        int rows = 600;
        Path input = cluster.input("frozen", rows);
        int port = freePort();
        JarProcess manager = manager(input, port);
        JarProcess first = worker(port);
        JarProcess second = worker(port);
        waitFor("both workers to settle rows", () -> settledHere(first) && settledHere(second));
        JarProcess frozen = first;
        JarProcess survivor = second;
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
            code = manager(input, port).waitFor(300);
        }

        assertThat(code).as(outputs).isEqualTo(0);
        assertThat(takenOver).as("from the freeze to the partition running again").isLessThan(60_000_000_000L);
        assertThat(cluster.statuses()).containsExactly(Map.entry("SUCCEEDED", (long) rows));
        cluster.assertImportedOnce("frozen", rows);
        survivor.terminate();
        survivor.waitFor(60);
    }

    /**
     * The manager dies (and its broker with it) while workers run its partitions: the same
     * command, run again, repairs the execution and sends only the unfinished partitions; the
     * workers reconnect to the new broker and every row is imported once.
     */
    @Test
    void aKilledManagersCommandResumesTheRunWithTheSameWorkers() throws Exception {
        int rows = 240;
        Path input = cluster.input("managerless", rows);
        int port = freePort();
        JarProcess manager = manager(input, port);
        JarProcess first = worker(port);
        JarProcess second = worker(port);
        waitFor("both workers to settle rows", () -> settledHere(first) && settledHere(second));
        manager.kill9();

        JarProcess again = manager(input, port);
        int code = again.waitFor(300);

        assertThat(code).as(again.output() + "\n--- worker 1:\n" + first.output() + "\n--- worker 2:\n"
                + second.output()).isEqualTo(0);
        assertThat(cluster.statuses()).containsExactly(Map.entry("SUCCEEDED", (long) rows));
        cluster.assertImportedOnce("managerless", rows);
        assertThat(first.isAlive()).as(first.output()).isTrue();
        assertThat(second.isAlive()).as(second.output()).isTrue();
        first.terminate();
        second.terminate();
        first.waitFor(60);
        second.waitFor(60);
    }

    /**
     * A worker up before the manager that hosts its broker (as a Deployment's workers are)
     * waits for it quietly, one warning rather than an error at each try, and connects within
     * a second of the broker's start. The listener container's own recovery tried every 5 s,
     * logging an error each time.
     */
    @Test
    void aWorkerStartedBeforeItsBrokerWaitsQuietlyAndConnectsAsSoonAsItStarts() throws Exception {
        int rows = 24;
        Path input = cluster.input("early", rows);
        int port = freePort();
        JarProcess worker = worker(port);
        waitFor("the worker to wait for its broker", () -> worker.output().contains("worker: waiting for import"
                + " partitions"));
        // The manager's start, before it hosts the broker, is the worker's wait: seconds, many tries.
        JarProcess manager = manager(input, port);

        assertThat(manager.waitFor(240)).as(manager.output() + "\n--- worker:\n" + worker.output()).isEqualTo(0);
        String waited = worker.output();
        assertThat(waited).as(waited).doesNotContain("Could not refresh JMS Connection");
        assertThat(waited.lines().filter(line -> line.contains("the broker is out of reach"))).as(waited).hasSize(1);
        Duration connected = Duration.between(logged(manager.output(), "manager: hosting the broker"),
                logged(waited, "worker: the broker answers again"));
        System.out.printf("worker connected %d ms after the broker's start%n", connected.toMillis());
        assertThat(connected).as(manager.output() + "\n--- worker:\n" + waited).isLessThan(Duration.ofMillis(2500));
        cluster.assertImportedOnce("early", rows);
        worker.terminate();
        worker.waitFor(60);
    }

    /**
     * A manager whose broker is out of reach (an external one, down) fails its run, exit 1,
     * having sent nothing; the same command, once the broker is up, resumes it.
     */
    @Test
    void aManagerWithoutItsBrokerFailsItsRunAndTheSameCommandResumesIt() throws Exception {
        int rows = 24;
        Path input = cluster.input("brokerless", rows);
        int port = freePort();
        List<String> command = cluster.common("--input=" + input, "--scale.role=manager", "--import.partitions=2",
                "--spring.artemis.broker-url=tcp://127.0.0.1:" + port, LEASE);
        long started = System.nanoTime();
        JarProcess alone = cluster.launch(command);

        assertThat(alone.waitFor(120)).as(alone.output()).isEqualTo(1);
        System.out.printf("manager without its broker ended after %.1f s%n", (System.nanoTime() - started) / 1e9);
        assertThat(alone.output()).contains("AMQ219007");
        assertThat(cluster.statuses()).containsExactly(Map.entry("PENDING", (long) rows));

        EmbeddedActiveMQ broker = InMemoryBroker.start(port);
        try {
            JarProcess worker = worker(port);
            JarProcess again = cluster.launch(command);
            assertThat(again.waitFor(240)).as(again.output() + "\n--- worker:\n" + worker.output()).isEqualTo(0);
            System.out.printf("and resumed after %.1f s%n", (System.nanoTime() - started) / 1e9);
            assertThat(cluster.statuses()).containsExactly(Map.entry("SUCCEEDED", (long) rows));
            cluster.assertImportedOnce("brokerless", rows);
            worker.terminate();
            worker.waitFor(60);
        }
        finally {
            broker.stop();
        }
    }

    /** When the first line holding {@code text} was logged (the log's HH:mm:ss.SSS, today). */
    private static LocalTime logged(String output, String text) {
        String line = output.lines().filter(l -> l.contains(text)).findFirst()
                .orElseThrow(() -> new AssertionError("no line holds " + text + ":\n" + output));
        return LocalTime.parse(line.substring(0, 12));
    }

    /** No worker at all: the manager gives up after scale.worker-timeout, exit 1; the same command resumes. */
    @Test
    void aManagerWithoutWorkersGivesUpAfterTheWorkerTimeoutAndTheSameCommandResumes() throws Exception {
        int rows = 48;
        Path input = cluster.input("alone", rows);
        int port = freePort();
        long started = System.nanoTime();
        JarProcess alone = manager(input, port, "--scale.worker-timeout=5s");

        assertThat(alone.waitFor(120)).as(alone.output()).isEqualTo(1);
        System.out.printf("manager without workers ended after %.1f s%n", (System.nanoTime() - started) / 1e9);
        assertThat(alone.output()).contains("no worker is alive").contains("no worker was alive for"
                + " scale.worker-timeout (5s); re-run the same command to resume");
        assertThat(cluster.statuses()).containsExactly(Map.entry("PENDING", (long) rows));

        JarProcess worker = worker(port);
        JarProcess again = manager(input, port, "--scale.worker-timeout=5s");
        assertThat(again.waitFor(240)).as(again.output() + "\n--- worker:\n" + worker.output()).isEqualTo(0);
        assertThat(cluster.statuses()).containsExactly(Map.entry("SUCCEEDED", (long) rows));
        // The first run's requests, left on no broker, never ran; the resumed run's did, once each.
        cluster.assertImportedOnce("alone", rows);
        worker.terminate();
        worker.waitFor(60);
    }

    @Test
    void nothingButTheStepsNameAndItsExecutionIdCrossesTheBroker() throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        List<String> whole = new CopyOnWriteArrayList<>();
        int port = freePort();
        EmbeddedActiveMQ broker = InMemoryBroker.start(port, new ActiveMQServerMessagePlugin() {
            @Override
            public void beforeSend(ServerSession session, Transaction tx, Message message, boolean direct,
                    boolean noAutoCreateQueue) throws ActiveMQException {
                ICoreMessage core = message.toCore();
                bodies.add(String.valueOf(core.getReadOnlyBodyBuffer().readNullableSimpleString()));
                byte[] encoded = new byte[core.getBuffer().readableBytes()];
                core.getBuffer().getBytes(core.getBuffer().readerIndex(), encoded);
                whole.add(message + " " + new String(encoded, StandardCharsets.ISO_8859_1));
            }
        });
        try {
            int rows = 48;
            Path input = cluster.input("secrets", rows);
            String url = "--spring.artemis.broker-url=tcp://127.0.0.1:" + port;
            JarProcess worker = cluster.launch(cluster.common("--scale.role=worker", url, "--scale.worker-partitions=3"));
            JarProcess manager = cluster.launch(cluster.common("--input=" + input, "--scale.role=manager", "--import.partitions=3",
                    url));
            assertThat(manager.waitFor(240)).as(manager.output() + "\n--- worker:\n" + worker.output()).isEqualTo(0);
            assertThat(cluster.statuses()).containsExactly(Map.entry("SUCCEEDED", (long) rows));
        }
        finally {
            broker.stop();
        }
        assertThat(bodies).hasSize(3)
                .allMatch(body -> body.matches("\\{\"stepName\":\"import\",\"stepExecutionId\":\\d+}"), "ids only");
        for (String message : whole) {
            assertThat(message).doesNotContain("sig=").doesNotContain("exports/").doesNotContain("cvexports")
                    .doesNotContain("postgres");
            for (String key : cluster.keys) {
                assertThat(message).doesNotContain(key);
            }
        }
    }

    @Test
    void aManagerOrAWorkerOnH2IsRefused() throws Exception {
        Path input = cluster.input("h2", 3);
        List<String> h2 = List.of("--spring.datasource.url=jdbc:h2:file:" + dir.resolve("db/repository"));
        List<String> managerArgs = new ArrayList<>(List.of("--input=" + input, "--scale.role=manager",
                "--scale.broker=embedded", "--scale.broker-port=" + freePort()));
        managerArgs.addAll(h2);
        JarProcess manager = cluster.launch(managerArgs);
        assertThat(manager.waitFor(120)).as(manager.output()).isEqualTo(2);
        assertThat(manager.output()).contains("--scale.role=manager needs the job repository every process shares:"
                + " PostgreSQL");
        List<String> workerArgs = new ArrayList<>(List.of("--scale.role=worker",
                "--spring.artemis.broker-url=tcp://127.0.0.1:" + freePort()));
        workerArgs.addAll(h2);
        JarProcess worker = cluster.launch(workerArgs);
        assertThat(worker.waitFor(120)).as(worker.output()).isEqualTo(2);
        assertThat(worker.output()).contains("--scale.role=worker needs the job repository every process shares");
        assertThat(cluster.emulator.imports()).isZero();
    }
}
