package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Two runs with two new keys of one resource (which holds a project the job recorded under an
 * older key) send the same token, the first one's answer lost: each target lists its projects
 * before its first import, so both link to the resource's older name and claim the token
 * there, and the second waits on the first's claim. (A first run that skipped that listing
 * when no other target held its tokens yet imported the token twice.)
 */
@TestPropertySource(properties = {
        // A context of its own: run A's lost answer must stay undecided while run B starts and
        // reaches A's claim (well under a second in this JVM; 8 s allows a loaded machine).
        "import.timeout=30s",
        "import.in-doubt-grace=8s" })
class SecondKeyRaceJobTest extends JobFixture {

    static final String KEY_0 = key(SecondKeyRaceJobTest.class, "0");
    static final String KEY_1 = key(SecondKeyRaceJobTest.class, "1");
    static final String KEY_2 = key(SecondKeyRaceJobTest.class, "2");
    private Path input(String name, String key) throws Exception {
        return input(name, "token,region,key", List.of("\"" + token("x") + "\",westus2," + key));
    }

    @Test
    void aSecondKeyStartedWhileTheFirstKeysAnswerIsLostDoesNotImportTheTokenAgain() throws Exception {
        emulator.key(KEY_1).linkKey(KEY_0, KEY_1).linkKey(KEY_2, KEY_1);
        emulator.importDelay(Duration.ofMillis(300), Duration.ofMillis(100));
        // The resource already has a project this job made, under a third key (an older name).
        launch(input("seed", "token,region,key", List.of("\"" + token("seed") + "\",westus2," + KEY_0)));

        // Run A (key 1): its token is held by no other target yet, so it may send before listing.
        emulator.loseAnswers(1.0);
        long before = emulator.imports();
        CompletableFuture<Run> a = launchInBackground(input("a", KEY_1));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (emulator.imports() == before && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        emulator.loseAnswers(0);
        assertThat(emulator.importsOf(KEY_1, token("x"))).isEqualTo(1);

        // Run B (key 2), same token, while A's row waits for its listing (answer lost).
        launch(input("b", KEY_2));
        a.get(120, TimeUnit.SECONDS);

        assertThat(emulator.importsOf(KEY_1, token("x"))).as("imports of token x into the one resource").isEqualTo(1);
    }
}
