package io.cvimport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cvimport.emulator.CustomVisionEmulator;

/**
 * A 1,000-row import watched and stopped from other processes sharing its job repository:
 * {@code --status} shows its rows settled growing, {@code --stop} ends it (exit 1) through
 * the repository, and the same command then finishes it with no token imported twice.
 */
class StopFromAnotherProcessIT {

    private static final String[] KEYS = { "44444444444444444444444444444444", "55555555555555555555555555555555",
            "66666666666666666666666666666666" };
    private static final int ROWS = 1000;
    private static final Pattern SETTLED = Pattern.compile("(\\d+) rows settled by this execution");

    @TempDir
    Path dir;

    CustomVisionEmulator emulator;
    private JarProcess running;

    @BeforeEach
    void start() throws Exception {
        emulator = new CustomVisionEmulator().key(KEYS).importDelay(Duration.ofMillis(300), Duration.ofMillis(200));
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (running != null && running.isAlive()) {
            running.kill9();
        }
        emulator.close();
    }

    @Test
    void statusShowsProgressAndStopEndsTheRunWhichTheNextRunFinishes() throws Exception {
        Path input = input();
        // Three targets at 2.5 calls/s: the run would take over two minutes, longer than a loaded machine
        // takes to start the JVMs that watch and stop it (2,000 rows at 5 calls/s took as long, and
        // left twice the rows for the resumed run).
        running = JarProcess.start(dir, args(input, "--import.rate-per-target=2.5",
                "--import.progress-every=1s"));
        waitForImports(60);

        long first = settled(status(input));
        Thread.sleep(3000);
        String later = status(input);
        long second = settled(later);
        assertThat(second).as(later).isGreaterThan(first);
        assertThat(later).contains("rows/s").contains("left");

        assertThat(JarProcess.run(dir, repositoryArgs("--stop", "--input=" + input))).as(JarProcess.lastOutput(dir))
                .isEqualTo(0);
        long requested = System.nanoTime();
        assertThat(JarProcess.lastOutput(dir)).containsPattern("stop requested for execution \\d+ of .*stop.csv");
        assertThat(running.waitFor(60)).as(running.output()).isEqualTo(1);
        long took = Duration.ofNanos(System.nanoTime() - requested).toMillis();
        System.out.printf("--stop: the run ended %d ms after the request was recorded (%d imports sent)%n", took,
                emulator.imports());
        assertThat(took).as("the run ends within 15 s of the request").isLessThan(15_000);
        assertThat(running.output()).contains("STOPPED").contains("exit code 1");
        String summary = running.output().substring(running.output().indexOf("customvision-import: execution"));
        assertThat(summary).as("the summary of a stopped run, in words").containsPattern(
                "customvision-import: execution \\d+ stopped in \\d").doesNotContain("Exception");
        assertThat(emulator.imports()).as("stopped before the end").isLessThan(ROWS);

        int resumed = JarProcess.run(dir, args(input, "--import.rate-per-target=100"));
        String output = JarProcess.lastOutput(dir);
        assertThat(resumed).as(output).isEqualTo(0);
        assertThat(output).contains("Resuming execution").contains("SUCCEEDED         " + ROWS);
        for (int i = 0; i < ROWS; i++) {
            assertThat(emulator.importsOf(KEYS[i % 3], ImportProcessIT.token("stop-" + i))).as("row " + (i + 1))
                    .isEqualTo(1);
        }
    }

    @Test
    void stopWithNothingRunningSaysSoAndRunsNothing() throws Exception {
        assertThat(JarProcess.run(dir, repositoryArgs("--stop"))).isEqualTo(0);
        assertThat(JarProcess.lastOutput(dir)).contains("no running execution");
        assertThat(emulator.calls()).isZero();
    }

    private String status(Path input) throws Exception {
        assertThat(JarProcess.run(dir, repositoryArgs("--status", "--input=" + input))).isEqualTo(0);
        return JarProcess.lastOutput(dir);
    }

    private static long settled(String status) {
        Matcher matcher = SETTLED.matcher(status);
        assertThat(matcher.find()).as(status).isTrue();
        return Long.parseLong(matcher.group(1));
    }

    private Path input() throws Exception {
        List<String> lines = new ArrayList<>(List.of("token,region,key"));
        for (int i = 0; i < ROWS; i++) {
            lines.add("\"" + ImportProcessIT.token("stop-" + i) + "\",westus2," + KEYS[i % 3]);
        }
        Path file = dir.resolve("stop.csv");
        Files.write(file, lines);
        return file;
    }

    private List<String> repositoryArgs(String... more) {
        List<String> args = new ArrayList<>(List.of("--spring.datasource.url=jdbc:h2:file:" + dir.resolve("db/repository")
                + ";AUTO_SERVER=TRUE"));
        args.addAll(List.of(more));
        return args;
    }

    private List<String> args(Path input, String... more) {
        List<String> args = repositoryArgs("--input=" + input, "--customvision.endpoint=" + emulator.endpoint(),
                "--import.poll-interval=200ms", "--import.max-poll-interval=500ms");
        args.addAll(List.of(more));
        return args;
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
