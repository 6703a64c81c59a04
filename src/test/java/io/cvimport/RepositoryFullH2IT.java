package io.cvimport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cvimport.emulator.CustomVisionEmulator;

/**
 * The H2 job repository's file can no longer grow mid-run (a full disk, simulated with the
 * running process's file size limit, which works for any user): the run fails with exit 1
 * and says why, and once there is room the same command resumes, importing every token once.
 */
class RepositoryFullH2IT {

    private static final String[] KEYS = ImportProcessIT.KEYS;
    private static final String[] REGIONS = ImportProcessIT.REGIONS;
    private static final int ROWS = 30;

    @TempDir
    Path dir;

    private CustomVisionEmulator emulator;

    @BeforeEach
    void start() throws Exception {
        emulator = new CustomVisionEmulator().key(KEYS).importDelay(Duration.ofSeconds(3), Duration.ofSeconds(1))
                .latency(Duration.ofMillis(300));
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void aFullDiskFailsTheRunClearlyAndTheSameCommandResumesOnceThereIsRoom() throws Exception {
        Path input = input("full");
        JarProcess run = JarProcess.start(dir, args(input, "--import.repository-outage-tolerance=5s"));
        waitForImports(6);

        Path file = dir.resolve("db/repository.mv.db");
        limitFileSize(run.pid(), Files.size(file));
        long full = System.nanoTime();
        int code = run.waitFor(90);
        long failedAfter = Duration.ofNanos(System.nanoTime() - full).toMillis();
        String output = run.output();
        assertThat(code).as(output).isEqualTo(1);
        assertThat(output).contains("the job repository was unreachable for more than 5 s: jdbc:h2:file:")
                .contains("re-run the same command once it is back");

        long resuming = System.nanoTime();
        int resumed = JarProcess.run(dir, args(input));
        String again = JarProcess.lastOutput(dir);
        System.out.printf("full disk test: exit %d %d ms after the disk filled up; the next run exit %d after %d ms%n",
                code, failedAfter, resumed, Duration.ofNanos(System.nanoTime() - resuming).toMillis());
        // Answers that arrived after the give-up were lost with the run: their rows are settled from the
        // project list, each the only import of unknown outcome on its resource. Never sent twice, never lost.
        assertThat(resumed).as(again).isIn(0, 3);
        assertThat(again).doesNotContain("already running");
        for (int i = 0; i < ROWS; i++) {
            assertThat(emulator.importsOf(KEYS[i % 3], ImportProcessIT.token("full-" + i)))
                    .as("imports of row %d", i + 1).isEqualTo(1);
        }
        List<String> report = reportLines();
        assertThat(report).hasSize(ROWS + 1);
        assertThat(report.subList(1, report.size())).allMatch(l -> l.contains(",SUCCEEDED,"));
        System.out.printf("full disk test: %d of %d rows IN_DOUBT after the resume%n",
                report.stream().filter(l -> l.contains(",IN_DOUBT,")).count(), ROWS);
    }

    private List<String> reportLines() throws Exception {
        try (var reports = Files.list(dir.resolve("reports"))) {
            return Files.readAllLines(reports.sorted().reduce((a, b) -> b).orElseThrow());
        }
    }

    /** No write may make a file of that process larger than it is now: the disk is full. */
    private static void limitFileSize(long pid, long bytes) throws Exception {
        Process prlimit = new ProcessBuilder("prlimit", "--pid", Long.toString(pid), "--fsize=" + bytes + ":unlimited")
                .redirectErrorStream(true).start();
        String said = new String(prlimit.getInputStream().readAllBytes());
        assertThat(prlimit.waitFor()).as(said).isZero();
    }

    private List<String> args(Path input, String... more) {
        List<String> args = new ArrayList<>(List.of("--input=" + input, "--customvision.endpoint=" + emulator.endpoint(),
                "--import.poll-interval=200ms", "--import.max-poll-interval=500ms", "--import.in-doubt-grace=500ms",
                "--import.rate-per-target=2", "--import.lock-ttl=3s",
                "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("db/repository") + ";AUTO_SERVER=TRUE"));
        args.addAll(JarProcess.PROMPT_SERVICE_TIMEOUTS);
        args.addAll(List.of(more));
        return args;
    }

    private Path input(String prefix) throws Exception {
        return ImportProcessIT.threeTargets(dir, prefix, ROWS);
    }

    private void waitForImports(int count) throws InterruptedException {
        // Generous: on a loaded machine a JVM may take a minute to start.
        long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
        while (emulator.imports() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(emulator.imports()).isGreaterThanOrEqualTo(count);
    }
}
