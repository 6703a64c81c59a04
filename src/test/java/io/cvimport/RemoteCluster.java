package io.cvimport;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import io.cvimport.emulator.CustomVisionEmulator;
import io.cvimport.support.Postgres;

/**
 * A manager and workers of remote partitioning in test: jar processes sharing an embedded
 * PostgreSQL database of their own and the emulator's target resources.
 */
final class RemoteCluster implements AutoCloseable {

    static final int TARGETS = 24;
    private static int databases;

    final Path dir;
    final CustomVisionEmulator emulator;
    final String[] keys = new String[TARGETS];
    final String database;
    private final List<JarProcess> processes = new ArrayList<>();
    /** The database's JDBC URL when it is not the shared embedded PostgreSQL's (a restartable one, say). */
    private final @Nullable String url;

    RemoteCluster(Path dir) throws java.io.IOException {
        this(dir, null);
    }

    RemoteCluster(Path dir, @Nullable String url) throws java.io.IOException {
        this.dir = dir;
        this.url = url;
        for (int i = 0; i < TARGETS; i++) {
            keys[i] = String.format("%032x", 0x5ca1e000L + i);
        }
        emulator = new CustomVisionEmulator().key(keys).importDelay(Duration.ofMillis(300), Duration.ofMillis(200));
        database = "remote_it_" + (++databases) + "_" + ProcessHandle.current().pid();
    }

    @Override
    public void close() throws Exception {
        for (JarProcess process : processes) {
            // kill -9 ends a frozen process too.
            process.kill9();
        }
        emulator.close();
    }

    static String token(String name) {
        return "https://cvexports.blob.core.windows.net/exports/" + name
                + ".zip?sv=2021-08-06&se=2099-01-01T00%3A00%3A00Z&sr=b&sp=r&sig=R3m" + name.hashCode() + "%2B%3D";
    }

    Path input(String name, int rows) throws Exception {
        List<String> lines = new ArrayList<>(List.of("token,region,key"));
        for (int i = 0; i < rows; i++) {
            lines.add("\"" + token(name + "-" + i) + "\",westus2," + keys[i % TARGETS]);
        }
        Path file = dir.resolve(name + ".csv");
        Files.write(file, lines);
        return file;
    }

    private String url() {
        return url != null ? url : Postgres.url(database);
    }

    /** Every row of the input {@code name} was imported exactly once into its target. */
    void assertImportedOnce(String name, int rows) {
        for (int i = 0; i < rows; i++) {
            org.assertj.core.api.Assertions.assertThat(emulator.importsOf(keys[i % TARGETS], token(name + "-" + i)))
                    .as("imports of row %d", i + 1).isEqualTo(1);
        }
    }

    List<String> repository() {
        return List.of("--spring.datasource.url=" + url(), "--spring.datasource.username=postgres",
                "--spring.datasource.password=postgres");
    }

    List<String> common(String... more) {
        List<String> args = new ArrayList<>(List.of("--customvision.endpoint=" + emulator.endpoint(),
                "--import.poll-interval=200ms", "--import.max-poll-interval=500ms", "--import.in-doubt-grace=500ms",
                "--import.progress-every=1s"));
        args.addAll(JarProcess.PROMPT_SERVICE_TIMEOUTS);
        args.addAll(repository());
        args.addAll(List.of(more));
        return args;
    }

    JarProcess launch(List<String> args) throws Exception {
        return launch(args, Map.of());
    }

    /** With variables in its environment (secrets, which a command line would show). */
    JarProcess launch(List<String> args, Map<String, String> environment) throws Exception {
        JarProcess process = JarProcess.start(dir, args, environment);
        processes.add(process);
        return process;
    }

    /** Workers renew their lease every second; the manager takes a partition over after 3 s without. */
    static final String LEASE = "--scale.worker-lease=3s";

    /** A manager hosting the broker, at 2 calls/s per target so that the run is still going when a worker dies. */
    JarProcess manager(Path input, int port, String... more) throws Exception {
        List<String> args = common("--input=" + input, "--scale.role=manager", "--import.partitions=2",
                "--import.rate-per-target=2", "--scale.broker=embedded", "--scale.broker-port=" + port, LEASE);
        args.addAll(List.of(more));
        return launch(args);
    }

    /** A worker of {@link #manager}'s broker, at its rate and lease. */
    JarProcess worker(int port) throws Exception {
        return launch(common("--scale.role=worker", "--spring.artemis.broker-url=tcp://localhost:" + port,
                "--import.rate-per-target=2", LEASE));
    }

    /** How many partitions the worker has started, counted in its log. */
    static long partitionsStarted(JarProcess worker) {
        return worker.output().lines().filter(line -> line.contains("over every partition; this is partition"))
                .count();
    }

    /** What {@code --status} prints now, from a process of its own. */
    String status() throws Exception {
        List<String> args = new ArrayList<>(List.of("--status"));
        args.addAll(repository());
        JarProcess status = launch(args);
        if (status.waitFor(120) != 0) {
            throw new AssertionError("--status failed: " + status.output());
        }
        return status.output();
    }

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    Map<String, Long> statuses() throws Exception {
        return counts("SELECT status, COUNT(*) FROM import_ledger GROUP BY status");
    }

    /** The rows of a two-column query, as text and count. */
    Map<String, Long> counts(String query) throws Exception {
        Map<String, Long> counts = new HashMap<>();
        try (Connection connection = DriverManager.getConnection(url(), "postgres", "postgres");
                var statement = connection.createStatement();
                var rows = statement.executeQuery(query)) {
            while (rows.next()) {
                counts.put(rows.getString(1), rows.getLong(2));
            }
        }
        return counts;
    }

    /** Whether the worker's log shows a round in which its partition's engine had settled rows. */
    static boolean settledHere(JarProcess worker) {
        return Pattern.compile("of 2: [1-9]\\d* rows settled by this partition's engine").matcher(worker.output())
                .find();
    }

    static void waitFor(String what, BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }
}
