package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.test.JobOperatorTestUtils;
import org.springframework.batch.test.context.SpringBatchTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.cvimport.Application;
import io.cvimport.emulator.CustomVisionEmulator;
import io.cvimport.job.JobRuns.Run;

/**
 * Two runs with two new keys of one resource (which holds a project the job recorded under an
 * older key) send the same token, the first one's answer lost: each target lists its projects
 * before its first import, so both link to the resource's older name and claim the token
 * there, and the second waits on the first's claim. (A first run that skipped that listing
 * when no other target held its tokens yet imported the token twice.)
 */
@SpringBatchTest
@SpringBootTest(classes = Application.class, properties = {
        "import.command=false",
        "spring.datasource.url=jdbc:h2:mem:second-key-race;DB_CLOSE_DELAY=-1",
        "import.rate-per-target=50",
        "import.poll-interval=100ms",
        "import.max-poll-interval=300ms",
        "import.timeout=30s",
        "import.in-doubt-grace=15s",
        "import.clock-skew=20ms" })
class SecondKeyRaceJobTest {

    static final String KEY_0 = "0000000000000000000000000000000a";
    static final String KEY_1 = "1111111111111111111111111111111a";
    static final String KEY_2 = "2222222222222222222222222222222a";
    static final CustomVisionEmulator emulator = JobRuns.emulator(
            e -> e.key(KEY_1).linkKey(KEY_0, KEY_1).linkKey(KEY_2, KEY_1));

    @TempDir
    Path dir;

    @Autowired
    JobOperatorTestUtils jobs;

    @DynamicPropertySource
    static void endpoint(DynamicPropertyRegistry registry) {
        registry.add("customvision.endpoint", () -> emulator.endpoint().toString());
    }

    private String token(String name) {
        return JobRuns.token(getClass().getSimpleName(), name);
    }

    private Path input(String name, String token, String key) throws Exception {
        Path file = dir.resolve(name + ".csv");
        Files.write(file, List.of("token,region,key", "\"" + token(token) + "\",westus2," + key));
        return file;
    }

    private Run launch(Path input) {
        try {
            return new Run(jobs.startJob(JobRuns.parameters(input, dir.resolve(input.getFileName() + ".report.csv")
                    .toString())));
        }
        catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aSecondKeyStartedWhileTheFirstKeysAnswerIsLostDoesNotImportTheTokenAgain(@Autowired Job importJob)
            throws Exception {
        jobs.setJob(importJob);
        emulator.importDelay(Duration.ofMillis(300), Duration.ofMillis(100));
        // The resource already has a project this job made, under a third key (an older name).
        launch(input("seed", "seed", KEY_0));

        // Run A (key 1): its token is held by no other target yet, so it may send before listing.
        emulator.loseAnswers(1.0);
        long before = emulator.imports();
        CompletableFuture<Run> a = CompletableFuture.supplyAsync(() -> launch(input0("a", KEY_1)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (emulator.imports() == before && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        emulator.loseAnswers(0);
        assertThat(emulator.importsOf(KEY_1, token("x"))).isEqualTo(1);

        // Run B (key 2), same token, while A's row waits for its listing (answer lost).
        launch(input0("b", KEY_2));
        a.get(120, TimeUnit.SECONDS);

        assertThat(emulator.importsOf(KEY_1, token("x"))).as("imports of token x into the one resource").isEqualTo(1);
    }

    private Path input0(String name, String key) {
        try {
            return input(name, "x", key);
        }
        catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
