package io.cvimport;

import static io.cvimport.RemoteCluster.freePort;
import static io.cvimport.RemoteCluster.settledHere;
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
import org.junit.jupiter.api.Test;

import io.cvimport.support.InMemoryBroker;

/**
 * Issue 12, remote partitioning: a manager and worker JVMs sharing an embedded PostgreSQL,
 * the partitions' requests over an Artemis broker: every row's outcome, one import per row;
 * a killed manager, a missing broker or no worker resumed by the same command; nothing but ids
 * crosses the broker; H2 refused. A worker lost mid-partition: {@link RemoteWorkerLossPostgresIT}.
 */
class RemotePartitioningPostgresIT extends RemoteClusterFixture {

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
        JarProcess manager = cluster.manager(input, port);
        JarProcess first = cluster.worker(port);
        JarProcess second = cluster.worker(port);
        waitFor("both workers to settle rows", () -> settledHere(first) && settledHere(second));
        manager.kill9();

        JarProcess again = cluster.manager(input, port);
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
        JarProcess worker = cluster.worker(port);
        waitFor("the worker to wait for its broker", () -> worker.output().contains("worker: waiting for import"
                + " partitions"));
        // The manager's start, before it hosts the broker, is the worker's wait: seconds, many tries.
        JarProcess manager = cluster.manager(input, port);

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
                "--spring.artemis.broker-url=tcp://127.0.0.1:" + port, RemoteCluster.LEASE);
        long started = System.nanoTime();
        JarProcess alone = cluster.launch(command);

        assertThat(alone.waitFor(120)).as(alone.output()).isEqualTo(1);
        System.out.printf("manager without its broker ended after %.1f s%n", (System.nanoTime() - started) / 1e9);
        assertThat(alone.output()).contains("AMQ219007");
        assertThat(cluster.statuses()).containsExactly(Map.entry("PENDING", (long) rows));

        EmbeddedActiveMQ broker = InMemoryBroker.start(port);
        try {
            JarProcess worker = cluster.worker(port);
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
        JarProcess alone = cluster.manager(input, port, "--scale.worker-timeout=5s");

        assertThat(alone.waitFor(120)).as(alone.output()).isEqualTo(1);
        System.out.printf("manager without workers ended after %.1f s%n", (System.nanoTime() - started) / 1e9);
        assertThat(alone.output()).contains("no worker is alive").contains("no worker was alive for"
                + " scale.worker-timeout (5s); re-run the same command to resume");
        assertThat(cluster.statuses()).containsExactly(Map.entry("PENDING", (long) rows));

        JarProcess worker = cluster.worker(port);
        JarProcess again = cluster.manager(input, port, "--scale.worker-timeout=5s");
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
