package io.cvimport.scale;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker's heartbeat file: its time is the last renewal's, and it is gone once the worker stops. */
class HeartbeatTest {

    @TempDir
    Path dir;

    @Test
    void eachBeatSetsTheFilesTimeAndTheEndRemovesIt() throws Exception {
        Path file = dir.resolve("run/alive");
        Instant first = Instant.parse("2026-12-06T02:30:00Z");
        new Heartbeat(file, Clock.fixed(first, ZoneOffset.UTC)).beat();
        assertThat(Files.getLastModifiedTime(file).toInstant()).isEqualTo(first);
        Heartbeat later = new Heartbeat(file, Clock.fixed(first.plusSeconds(7), ZoneOffset.UTC));
        later.beat();
        assertThat(Files.getLastModifiedTime(file).toInstant()).isEqualTo(first.plusSeconds(7));
        later.end();
        assertThat(file).doesNotExist();
    }

    @Test
    void aFileThatCannotBeWrittenIsWarnedAboutNotFatal() throws Exception {
        Path notADirectory = Files.createFile(dir.resolve("plain"));
        Heartbeat heartbeat = new Heartbeat(notADirectory.resolve("alive"), Clock.systemUTC());
        // Neither throws: a worker that cannot write its heartbeat still works, and its probe says so.
        heartbeat.beat();
        heartbeat.beat();
        heartbeat.end();
    }
}
