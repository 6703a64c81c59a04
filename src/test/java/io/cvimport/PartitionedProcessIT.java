package io.cvimport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cvimport.emulator.CustomVisionEmulator;
import io.cvimport.scale.Partition;

/**
 * Issue 12 in one process: the import step in 4 partitions on threads, killed with kill -9
 * while every partition has imports on the wire; the same command repairs the partitions'
 * step executions, resumes them, reconciles the imports in flight and imports every row once.
 */
class PartitionedProcessIT {

    static final int TARGETS = 12;

    @TempDir
    Path dir;

    CustomVisionEmulator emulator;
    final String[] keys = new String[TARGETS];

    @BeforeEach
    void start() throws Exception {
        for (int i = 0; i < TARGETS; i++) {
            keys[i] = String.format("%032x", 0x9a27000L + i);
        }
        emulator = new CustomVisionEmulator().key(keys).importDelay(Duration.ofMillis(300), Duration.ofMillis(300));
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    static String token(String name) {
        return "https://cvexports.blob.core.windows.net/exports/" + name
                + ".zip?sv=2021-08-06&se=2099-01-01T00%3A00%3A00Z&sr=b&sp=r&sig=P4r" + name.hashCode() + "%2B%3D";
    }

    private String h2Url() {
        return "jdbc:h2:file:" + dir.resolve("db/repository") + ";AUTO_SERVER=TRUE";
    }

    private List<String> args(Path input) {
        List<String> args = new ArrayList<>(List.of("--input=" + input,
                "--customvision.endpoint=" + emulator.endpoint(),
                "--spring.datasource.url=" + h2Url(), "--import.partitions=4", "--import.rate-per-target=2",
                "--import.poll-interval=200ms", "--import.max-poll-interval=500ms", "--import.in-doubt-grace=500ms",
                "--import.lock-ttl=3s", "--import.progress-every=1s"));
        args.addAll(JarProcess.PROMPT_SERVICE_TIMEOUTS);
        return args;
    }

    @Test
    void aKilledPartitionedRunResumesEveryPartitionAndImportsEveryRowOnce() throws Exception {
        int rows = 240;
        List<String> lines = new ArrayList<>(List.of("token,region,key"));
        for (int i = 0; i < rows; i++) {
            lines.add("\"" + token("killed-" + i) + "\",westus2," + keys[i % TARGETS]);
        }
        Path input = dir.resolve("partitioned.csv");
        Files.write(input, lines);

        JarProcess run = JarProcess.start(dir, args(input));
        long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
        while (emulator.imports() < 40 && run.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(run.isAlive()).as(run.output()).isTrue();
        run.kill9();
        assertThat(partitionsRunning()).as("partitions left STARTED by the killed run").isPositive();

        int code = JarProcess.run(dir, args(input));
        String output = JarProcess.lastOutput(dir);

        assertThat(code).as(output).isEqualTo(0);
        assertThat(output).contains("Resuming execution");
        // Every partition that holds targets (which do depends on the emulator's port) ran again.
        for (String key : keys) {
            int partition = io.cvimport.scale.Partition.of(
                    io.cvimport.customvision.Fingerprint.of(emulator.endpoint() + "\n" + key), 4);
            assertThat(output).contains("this is partition " + partition + " of 4");
        }
        for (int i = 0; i < rows; i++) {
            assertThat(emulator.importsOf(keys[i % TARGETS], token("killed-" + i))).as("imports of row %d", i + 1)
                    .isEqualTo(1);
        }
        assertThat(partitionsRunning()).isZero();
    }

    private long partitionsRunning() throws Exception {
        try (Connection connection = DriverManager.getConnection(h2Url(), "sa", "");
                var statement = connection.createStatement();
                var count = statement.executeQuery("SELECT COUNT(*) FROM BATCH_STEP_EXECUTION WHERE STEP_NAME LIKE"
                        + " 'import:partition%' AND STATUS = 'STARTED'")) {
            count.next();
            return count.getLong(1);
        }
    }
}
