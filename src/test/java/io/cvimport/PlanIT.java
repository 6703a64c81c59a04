package io.cvimport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cvimport.emulator.CustomVisionEmulator;
import io.cvimport.report.ReportRows;

/**
 * Issue 13: {@code --plan} as the jar, against the emulator: it takes no run lock (it runs
 * beside a run of the same input), and plans 2,000 rows with one listing per resource. What
 * the plan flags against what the run then does is PlanJobTest's.
 */
class PlanIT {

    static final String GOOD_KEY = "13131313131313131313131313131313";
    static final String FULL_KEY = "31313131313131313131313131313131";

    @TempDir
    Path dir;

    CustomVisionEmulator emulator;

    @BeforeEach
    void start() throws Exception {
        // An F0 tier everywhere: two projects per resource; the full one holds one already.
        emulator = new CustomVisionEmulator().key(GOOD_KEY, FULL_KEY).projectLimit(GOOD_KEY, 2)
                .projectLimit(FULL_KEY, 2).importDelay(Duration.ofMillis(200), Duration.ZERO);
        emulator.createForeignProject(FULL_KEY);
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    static String token(String name, String expiry) {
        return "https://cvexports.blob.core.windows.net/exports/plan/" + name + ".zip?sv=2021-08-06&se=" + expiry
                + "&sr=b&sp=r&sig=PlAnSiG" + Math.abs(name.hashCode()) + "%2B%3D";
    }

    static String token(String name) {
        return token(name, "2099-01-01T00%3A00%3A00Z");
    }

    private List<String> args(Path input, Path report, String... more) {
        List<String> args = new ArrayList<>(List.of("--input=" + input, "--report=" + report,
                "--customvision.endpoint=" + emulator.endpoint(), "--import.project-limit=2",
                // Sends of one resource half a second apart: answered in the order they leave.
                "--import.rate-per-target=2",
                "--import.poll-interval=200ms", "--import.max-poll-interval=500ms",
                "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("db/repository") + ";AUTO_SERVER=TRUE"));
        args.addAll(List.of(more));
        return args;
    }

    @Test
    void twoThousandRowsOverTwentyTargetsTakeOneListingPerTarget() throws Exception {
        emulator.ratePerSecond(10).latency(Duration.ofMillis(20));
        List<String> keys = new ArrayList<>();
        List<String> lines = new ArrayList<>(List.of("token,region,key"));
        for (int t = 0; t < 20; t++) {
            keys.add(String.format("%032d", 1000 + t));
            emulator.key(keys.get(t));
        }
        for (int i = 0; i < 2000; i++) {
            lines.add("\"" + token("bulk-" + i) + "\",westus2," + keys.get(i % 20));
        }
        Path input = dir.resolve("bulk.csv");
        Files.write(input, lines);
        long callsBefore = emulator.calls();
        long started = System.nanoTime();

        List<String> args = args(input, dir.resolve("bulk-plan.csv"), "--plan");
        args.removeIf(arg -> arg.startsWith("--import.rate-per-target=") || arg.startsWith("--import.project-limit="));
        args.add("--import.rate-per-target=10");
        assertThat(JarProcess.run(dir, args)).as(JarProcess.lastOutput(dir)).isEqualTo(0);
        long millis = (System.nanoTime() - started) / 1_000_000;

        for (String key : keys) {
            assertThat(emulator.listings(key)).as("listings of " + key).isEqualTo(1);
        }
        assertThat(emulator.imports()).isZero();
        assertThat(ReportRows.of(dir.resolve("bulk-plan.csv"))).hasSize(2000);
        System.out.printf("plan of 2,000 rows / 20 targets: %d ms wall (JVM start included), %d API calls"
                + " (%d answered 429), 0 imports%n%s%n", millis, emulator.calls() - callsBefore, emulator.throttled(),
                JarProcess.lastOutput(dir));
    }

    @Test
    void aPlanRunsWhileARunOfTheSameInputHoldsItsLock() throws Exception {
        Path input = dir.resolve("busy.csv");
        Files.write(input, List.of("token,region,key", "\"" + token("busy-1") + "\",westus2," + GOOD_KEY));
        emulator.holdImports();
        JarProcess run = JarProcess.start(dir, args(input, dir.resolve("busy-run.csv")), Map.of());
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (emulator.heldImports() == 0) {
            assertThat(System.nanoTime()).as("the run's import to arrive").isLessThan(deadline);
            Thread.sleep(50);
        }

        // The run sent the row: a run awaits its project (issue 27), and it goes through: exit 0.
        assertThat(JarProcess.run(dir, args(input, dir.resolve("busy-plan.csv"), "--plan")))
                .as(JarProcess.lastOutput(dir)).isZero();
        assertThat(JarProcess.lastOutput(dir)).contains("0 of 1 rows would be imported, 1 already imported,"
                + " duplicates or awaited").doesNotContain("another run");
        assertThat(ReportRows.of(dir.resolve("busy-plan.csv")).get(1L).get("plan")).isEqualTo("WOULD_AWAIT");
        assertThat(emulator.heldImports()).isEqualTo(1);

        run.kill9();
    }
}
