package io.cvimport.imports.settling;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.cvimport.customvision.Region;
import io.cvimport.customvision.TargetResource;
import io.cvimport.ledger.RowStatus;
import io.cvimport.imports.engine.FakeClocks;
import io.cvimport.imports.engine.FakeRows;
import io.cvimport.imports.engine.FakeService;
import io.cvimport.imports.engine.ImportEngine;
import io.cvimport.imports.engine.LaneSchedulerTest;
import io.cvimport.imports.engine.OneResourcePerTarget;
import io.cvimport.imports.lanes.CallCounts;
import io.cvimport.imports.ImportProperties;

/** Verification (import.verify, on) concerns source rows: a token row has no export to compare with, nor to read. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TokenRowVerificationTest {

    private static final TargetResource TARGET = new TargetResource(Region.WEST_US_2,
            URI.create("https://westus2.api.cognitive.microsoft.com"), "0123456789abcdef0123456789abcdef");

    @Test
    void settledTokenRowsReadNoExportedCounts() throws Exception {
        FakeClocks clock = new FakeClocks();
        FakeService service = new FakeService(clock);
        FakeRows rows = new FakeRows();
        ImportProperties properties = LaneSchedulerTest.properties(10, 4, 100, Duration.ofSeconds(5));
        assertThat(properties.verify()).isTrue();
        ImportEngine engine = new ImportEngine(service, rows, new OneResourcePerTarget(), 1, properties,
                new CallCounts(new SimpleMeterRegistry()), clock.clocks());
        for (int row = 1; row <= 20; row++) {
            assertThat(engine.send(TARGET, row, "token-" + row, Long.MAX_VALUE)).isTrue();
        }
        engine.start();
        engine.feedingDone();
        assertThat(engine.awaitCompletion(Long.MAX_VALUE)).isTrue();
        engine.close();

        for (int row = 1; row <= 20; row++) {
            assertThat(rows.of(row)).as("row %d", row).isEqualTo(RowStatus.SUCCEEDED);
        }
        assertThat(rows.exportedReads).as("ledger reads of exported counts").hasValue(0);
    }
}
