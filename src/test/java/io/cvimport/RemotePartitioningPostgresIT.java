package io.cvimport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ICoreMessage;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;
import org.apache.activemq.artemis.core.transaction.Transaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cvimport.emulator.CustomVisionEmulator;
import io.cvimport.support.Postgres;

/**
 * Issue 12, remote partitioning: a manager and worker JVMs sharing an embedded PostgreSQL,
 * the partitions' requests over an Artemis broker: every row's outcome, one import per row,
 * every worker settling rows; nothing but ids crosses the broker; H2 refused.
 */
class RemotePartitioningPostgresIT {

    static final int TARGETS = 24;
    private static int databases;

    @TempDir
    Path dir;

    CustomVisionEmulator emulator;
    String[] keys;
    String database;
    final List<JarProcess> processes = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        keys = new String[TARGETS];
        for (int i = 0; i < TARGETS; i++) {
            keys[i] = String.format("%032x", 0x5ca1e000L + i);
        }
        emulator = new CustomVisionEmulator().key(keys).importDelay(Duration.ofMillis(300), Duration.ofMillis(200));
        database = "remote_it_" + (++databases) + "_" + ProcessHandle.current().pid();
    }

    @AfterEach
    void stop() throws Exception {
        for (JarProcess process : processes) {
            process.kill9();
        }
        emulator.close();
    }

    static String token(String name) {
        return "https://cvexports.blob.core.windows.net/exports/" + name
                + ".zip?sv=2021-08-06&se=2099-01-01T00%3A00%3A00Z&sr=b&sp=r&sig=R3m" + name.hashCode() + "%2B%3D";
    }

    private Path input(String name, int rows) throws Exception {
        List<String> lines = new ArrayList<>(List.of("token,region,key"));
        for (int i = 0; i < rows; i++) {
            lines.add("\"" + token(name + "-" + i) + "\",westus2," + keys[i % TARGETS]);
        }
        Path file = dir.resolve(name + ".csv");
        Files.write(file, lines);
        return file;
    }

    private List<String> repository() {
        return List.of("--spring.datasource.url=" + Postgres.url(database), "--spring.datasource.username=postgres",
                "--spring.datasource.password=postgres");
    }

    private List<String> common(String... more) {
        List<String> args = new ArrayList<>(List.of("--customvision.endpoint=" + emulator.endpoint(),
                "--import.poll-interval=200ms", "--import.max-poll-interval=500ms", "--import.in-doubt-grace=500ms",
                "--import.progress-every=1s"));
        args.addAll(JarProcess.PROMPT_SERVICE_TIMEOUTS);
        args.addAll(repository());
        args.addAll(List.of(more));
        return args;
    }

    private JarProcess launch(List<String> args) throws Exception {
        JarProcess process = JarProcess.start(dir, args);
        processes.add(process);
        return process;
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private Map<String, Long> statuses() throws Exception {
        Map<String, Long> counts = new HashMap<>();
        try (Connection connection = DriverManager.getConnection(Postgres.url(database), "postgres", "postgres");
                var statement = connection.createStatement();
                var rows = statement.executeQuery("SELECT status, COUNT(*) FROM import_ledger GROUP BY status")) {
            while (rows.next()) {
                counts.put(rows.getString(1), rows.getLong(2));
            }
        }
        return counts;
    }

    /** Whether the worker's log shows a round in which its partition's engine had settled rows. */
    private static boolean settledHere(JarProcess worker) {
        return java.util.regex.Pattern.compile("of 2: [1-9]\\d* rows settled by this partition's engine")
                .matcher(worker.output()).find();
    }

    private static void waitFor(String what, java.util.function.BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    @Test
    void aManagerHostingTheBrokerAndTwoWorkersImportEveryRowOnceWhenOneWorkerIsKilled() throws Exception {
        int rows = 600;
        Path input = input("remote", rows);
        // Slow enough that the run is still going when a worker dies: 25 rows per target at 2 calls/s.
        int port = freePort();
        JarProcess manager = launch(common("--input=" + input, "--scale.role=manager", "--import.partitions=2",
                "--import.rate-per-target=2",
                "--scale.broker=embedded", "--scale.broker-port=" + port));
        List<String> worker = common("--scale.role=worker", "--spring.artemis.broker-url=tcp://localhost:" + port,
                "--import.rate-per-target=2");
        JarProcess first = launch(worker);
        JarProcess second = launch(worker);
        // Both workers settle rows; then one dies mid-partition, without a word.
        waitFor("both workers to settle rows", () -> settledHere(first) && settledHere(second));
        assertThat(statuses().getOrDefault("PENDING", 0L)).as("rows still to send when a worker dies").isPositive();
        JarProcess dead = settledHere(first) ? first : second;
        JarProcess survivor = dead == first ? second : first;
        dead.kill9();

        int code = manager.waitFor(300);

        assertThat(code).as(manager.output() + "\n--- worker 1:\n" + first.output() + "\n--- worker 2:\n"
                + second.output()).isEqualTo(0);
        assertThat(statuses()).containsExactly(Map.entry("SUCCEEDED", (long) rows));
        for (int i = 0; i < rows; i++) {
            assertThat(emulator.importsOf(keys[i % TARGETS], token("remote-" + i))).as("imports of row %d", i + 1)
                    .isEqualTo(1);
        }
        // The survivor ran its own partition and the dead worker's, given to it again by the broker.
        assertThat(survivor.output()).as(survivor.output()).contains("this is partition 0 of 2")
                .contains("this is partition 1 of 2").containsPattern("import calls: .*imports=[1-9]");
        assertThat(manager.output()).doesNotContain("this is partition");
        // Workers run until stopped, and stop on SIGTERM (waitFor fails the test when it has not ended by then).
        assertThat(survivor.isAlive()).isTrue();
        survivor.terminate();
        survivor.waitFor(60);
    }

    @Test
    void nothingButTheStepsNameAndItsExecutionIdCrossesTheBroker() throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        List<String> whole = new CopyOnWriteArrayList<>();
        int port = freePort();
        ConfigurationImpl configuration = new ConfigurationImpl();
        configuration.setPersistenceEnabled(false);
        configuration.setSecurityEnabled(false);
        configuration.addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port);
        configuration.registerBrokerPlugin(new ActiveMQServerMessagePlugin() {
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
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ().setConfiguration(configuration);
        broker.start();
        try {
            int rows = 48;
            Path input = input("secrets", rows);
            String url = "--spring.artemis.broker-url=tcp://127.0.0.1:" + port;
            JarProcess worker = launch(common("--scale.role=worker", url, "--scale.worker-partitions=3"));
            JarProcess manager = launch(common("--input=" + input, "--scale.role=manager", "--import.partitions=3",
                    url));
            assertThat(manager.waitFor(240)).as(manager.output() + "\n--- worker:\n" + worker.output()).isEqualTo(0);
            assertThat(statuses()).containsExactly(Map.entry("SUCCEEDED", (long) rows));
        }
        finally {
            broker.stop();
        }
        assertThat(bodies).hasSize(3)
                .allMatch(body -> body.matches("\\{\"stepName\":\"import\",\"stepExecutionId\":\\d+}"), "ids only");
        for (String message : whole) {
            assertThat(message).doesNotContain("sig=").doesNotContain("exports/").doesNotContain("cvexports")
                    .doesNotContain("postgres");
            for (String key : keys) {
                assertThat(message).doesNotContain(key);
            }
        }
    }

    @Test
    void aManagerOrAWorkerOnH2IsRefused() throws Exception {
        Path input = input("h2", 3);
        List<String> h2 = List.of("--spring.datasource.url=jdbc:h2:file:" + dir.resolve("db/repository"));
        List<String> managerArgs = new ArrayList<>(List.of("--input=" + input, "--scale.role=manager",
                "--scale.broker=embedded", "--scale.broker-port=" + freePort()));
        managerArgs.addAll(h2);
        JarProcess manager = launch(managerArgs);
        assertThat(manager.waitFor(120)).as(manager.output()).isEqualTo(2);
        assertThat(manager.output()).contains("--scale.role=manager needs the job repository every process shares:"
                + " PostgreSQL");
        List<String> workerArgs = new ArrayList<>(List.of("--scale.role=worker",
                "--spring.artemis.broker-url=tcp://127.0.0.1:" + freePort()));
        workerArgs.addAll(h2);
        JarProcess worker = launch(workerArgs);
        assertThat(worker.waitFor(120)).as(worker.output()).isEqualTo(2);
        assertThat(worker.output()).contains("--scale.role=worker needs the job repository every process shares");
        assertThat(emulator.imports()).isZero();
    }
}
