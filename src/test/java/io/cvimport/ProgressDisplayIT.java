package io.cvimport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cvimport.emulator.CustomVisionEmulator;

/**
 * Issue 27: how a run shows its progress. Not on a terminal (cron, Kubernetes): plain lines
 * that say something at every stage, the start included. On a terminal: a live bar, in
 * colour unless {@code NO_COLOR} is set.
 */
class ProgressDisplayIT {

    static final String TARGET = "29292929292929292929292929292929";
    static final String ESC = "\u001b[";

    @TempDir
    Path dir;

    private List<String> args(CustomVisionEmulator emulator, String name, int rows) throws Exception {
        List<String> lines = new ArrayList<>(List.of("token,region,key"));
        for (int i = 0; i < rows; i++) {
            lines.add("\"" + PlanIT.token(name + "-" + i) + "\",westus2," + TARGET);
        }
        Path input = dir.resolve(name + ".csv");
        Files.write(input, lines);
        return new ArrayList<>(List.of("--input=" + input, "--customvision.endpoint=" + emulator.endpoint(),
                "--report=" + dir.resolve(name + "-report.csv"), "--import.rate-per-target=4",
                "--import.poll-interval=200ms", "--import.max-poll-interval=300ms", "--import.progress-every=300ms",
                "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("db/repository")));
    }

    @Test
    void notOnATerminalProgressLinesSayWhereTheRunStandsFromItsFirstSecond() throws Exception {
        try (CustomVisionEmulator emulator = new CustomVisionEmulator().key(TARGET)
                .importDelay(Duration.ofMillis(1500), Duration.ZERO).throttleNext(3)) {
            assertThat(JarProcess.run(dir, args(emulator, "plain", 8))).as(JarProcess.lastOutput(dir)).isZero();
            String output = JarProcess.lastOutput(dir);
            List<String> progress = output.lines().filter(line -> line.contains("rows settled")).toList();
            System.out.println(String.join("\n", progress));

            assertThat(progress).as(output).hasSizeGreaterThanOrEqualTo(3);
            assertThat(output).doesNotContain("0.0 rows/s").doesNotContain("unknown left").doesNotContain("\r")
                    .doesNotContain(ESC);
            assertThat(progress.get(0)).as("before any row settled").contains("0 of 8 rows settled")
                    .contains("no row settled yet");
            assertThat(progress).anySatisfy(line -> assertThat(line).containsPattern("[1-9]\\d* of 8 rows settled")
                    .containsPattern("about \\d+s left"));
            assertThat(progress).allSatisfy(line -> assertThat(line).containsPattern("\\d+\\.\\d calls/s")
                    .containsPattern("\\d+ answered 429"));
            assertThat(progress.get(progress.size() - 1)).containsPattern("[1-9] answered 429");
        }
    }

    @Test
    void onATerminalARunDrawsALiveBarInColourUnlessNoColorIsSet() throws Exception {
        try (CustomVisionEmulator emulator = new CustomVisionEmulator().key(TARGET)
                .importDelay(Duration.ofMillis(1200), Duration.ZERO)) {
            JarProcess.Streams colour = JarProcess.runOnTerminal(dir, args(emulator, "colour", 6),
                    Map.of("TERM", "xterm-256color"));
            System.out.println(colour.stdout().replace(ESC, "<ESC>["));
            assertThat(colour.exitCode()).as(colour.stdout()).isZero();
            String bar = colour.stdout();
            assertThat(bar).as("redrawn in place").contains("\r");
            assertThat(bar).contains("6/6").contains("succeeded=6").contains("calls/s").contains("429s");
            assertThat(bar).as("coloured").containsPattern("\u001b\\[3\\dm");
            assertThat(bar).as("no progress log line under the bar").doesNotContain("rows settled,");

            JarProcess.Streams plain = JarProcess.runOnTerminal(dir, args(emulator, "nocolour", 6),
                    Map.of("TERM", "xterm-256color", "NO_COLOR", "1"));
            assertThat(plain.exitCode()).as(plain.stdout()).isZero();
            assertThat(plain.stdout()).contains("\r").contains("6/6").contains("succeeded=6")
                    .doesNotContainPattern("\u001b\\[3\\dm").doesNotContainPattern("\u001b\\[9\\dm");
        }
    }

    /**
     * The bar reads the terminal through JLine, whose default terminal installs signal
     * handlers of its own: Ctrl-C (SIGINT) must still reach the run's stop, which finishes
     * the calls in flight and leaves the run STOPPED and resumable.
     */
    @Test
    void onATerminalCtrlCStillStopsTheRunResumably() throws Exception {
        try (CustomVisionEmulator emulator = new CustomVisionEmulator().key(TARGET)
                .importDelay(Duration.ofMinutes(5), Duration.ZERO)) {
            JarProcess run = JarProcess.startOnTerminal(dir, args(emulator, "interrupted", 4),
                    Map.of("TERM", "xterm-256color"));
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (emulator.imports() < 2) {
                assertThat(System.nanoTime()).as("two imports to arrive").isLessThan(deadline);
                Thread.sleep(50);
            }
            run.signalJvm("INT");
            int code = run.waitFor(120);
            String output = run.output();

            assertThat(output).as(output).contains("import").contains("/4").contains("stop requested")
                    .contains("execution 1 stopped");
            assertThat(code).as(output).isEqualTo(1);
        }
    }
}
