package io.cvimport.imports.step;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.cvimport.customvision.Region;
import io.cvimport.customvision.TargetResource;
import io.cvimport.ledger.RowStatus;
import io.cvimport.imports.engine.FakeClocks;
import io.cvimport.imports.engine.FakeRows;
import io.cvimport.imports.engine.FakeService;
import io.cvimport.imports.engine.ImportEngine;
import io.cvimport.imports.engine.LaneSchedulerTest;
import io.cvimport.imports.engine.OneResourcePerTarget;
import io.cvimport.imports.feed.RowFeed;
import io.cvimport.imports.feed.RowsLeftAlone;
import io.cvimport.imports.lanes.CallCounts;
import io.cvimport.imports.ImportProperties;

/**
 * Closing a run is the promise that no worker records anything once the step's end is
 * written: it must hold when the step's thread comes to it interrupted (Spring Batch's
 * interruption check leaves the flag set) and when not every worker could be started.
 */
@Timeout(30)
class ImportRunCloseTest {

    private static final TargetResource TARGET = new TargetResource(Region.WEST_US_2,
            URI.create("https://westus2.api.cognitive.microsoft.com"), "0123456789abcdef0123456789abcdef");

    private final FakeClocks clock = new FakeClocks();
    private final FakeService service = new FakeService(clock);
    private final FakeRows rows = new FakeRows();
    @TempDir
    Path dir;

    @Test
    void anInterruptedCloseStillWaitsForTheCallInFlightToBeRecorded() throws Exception {
        CountDownLatch inFlight = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        service.answers = token -> {
            inFlight.countDown();
            try {
                answer.await(10, TimeUnit.SECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        };
        ImportEngine engine = engine();
        ImportRun run = new ImportRun(engine, feed(), new RowsLeftAlone(), null, null);
        engine.send(TARGET, 1, "t1", Long.MAX_VALUE);
        engine.start();
        assertThat(inFlight.await(5, TimeUnit.SECONDS)).isTrue();
        Thread answering = new Thread(() -> {
            sleep(300);
            answer.countDown();
        });
        answering.start();

        Thread.currentThread().interrupt();
        run.close();

        assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
        assertThat(rows.of(1)).as("recorded before close returned").isEqualTo(RowStatus.IMPORTING);
        answering.join();
    }

    private ImportEngine engine() {
        return new ImportEngine(service, rows, new OneResourcePerTarget(), 1, properties(), new CallCounts(
                new SimpleMeterRegistry()), clock.clocks());
    }

    private RowFeed feed() throws Exception {
        Path csv = Files.writeString(dir.resolve("in.csv"), "token,region,key\n");
        return new RowFeed(csv, null, null, null, null, null, properties(), 1, new RowsLeftAlone());
    }

    private static ImportProperties properties() {
        return LaneSchedulerTest.properties(1000, 1, 100, Duration.ofSeconds(5));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
