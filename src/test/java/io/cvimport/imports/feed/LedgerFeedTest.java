package io.cvimport.imports.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.cvimport.customvision.Endpoints;
import io.cvimport.customvision.Fingerprint;
import io.cvimport.input.InputFile;
import io.cvimport.input.InputRow;
import io.cvimport.input.RecordAt;
import io.cvimport.input.RowCursor;
import io.cvimport.input.RowJudge;
import io.cvimport.ledger.ImportLedger;
import io.cvimport.ledger.OpenRow;
import io.cvimport.ledger.RowStatus;
import io.cvimport.imports.engine.FakeClocks;
import io.cvimport.imports.engine.FakeRows;
import io.cvimport.imports.engine.FakeService;
import io.cvimport.imports.engine.ImportEngine;
import io.cvimport.imports.engine.LaneSchedulerTest;
import io.cvimport.imports.engine.OneResourcePerTarget;
import io.cvimport.imports.lanes.CallCounts;
import io.cvimport.imports.lanes.Clocks;

/**
 * The ledger's feed over a real input file, its rows read at their offsets, with the ledger's
 * pages in memory: it never holds a round up for lanes that take no more, nor for rows left
 * for a run that has their key variable.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LedgerFeedTest {

    static final String KEY_1 = "0123456789abcdef0123456789abcdef";
    static final String KEY_2 = "fedcba9876543210fedcba9876543210";

    @TempDir
    Path dir;

    private final RowJudge judge = new RowJudge(new Endpoints(null, Map.of()), name -> null, Clock.systemUTC());

    private Path input(int rows, Function<Integer, String> key) throws Exception {
        StringBuilder csv = new StringBuilder("token,region,key\n");
        for (int i = 1; i <= rows; i++) {
            csv.append("token-").append(i).append(",westus2,").append(key.apply(i)).append('\n');
        }
        return Files.writeString(dir.resolve("input.csv"), csv);
    }

    /** The rows as the load step left them: PENDING, each with its target and offset. */
    private static List<OpenRow> pending(Path file, Function<InputRow, String> target) {
        List<OpenRow> all = new ArrayList<>();
        try (RowCursor cursor = InputFile.open(file).rows()) {
            InputRow row;
            while ((row = cursor.next()) != null) {
                all.add(new OpenRow(row.number(), RowStatus.PENDING, target.apply(row), null, null, null, 0,
                        Fingerprint.of(row.token()), row.offset()));
            }
        }
        return all;
    }

    /** A ledger that pages through these rows by target; none was sent before. */
    private static ImportLedger ledger(List<OpenRow> all) {
        ImportLedger ledger = mock(ImportLedger.class);
        when(ledger.rowsAtOffsets(anyLong(), isNull(), anyLong(), anyInt(), any())).thenReturn(List.of());
        List<String> targets = all.stream().map(OpenRow::targetFp).distinct().toList();
        when(ledger.targetsAtOffsets(anyLong(), any())).thenReturn(targets);
        for (String target : targets) {
            when(ledger.rowsAtOffsets(anyLong(), eq(target), anyLong(), anyInt(), any())).thenAnswer(call -> {
                long after = call.getArgument(2);
                int limit = call.getArgument(3);
                return all.stream().filter(row -> target.equals(row.targetFp()) && row.rowNo() > after).limit(limit)
                        .toList();
            });
        }
        return ledger;
    }

    private static ImportEngine engine(FakeService service) {
        return new ImportEngine(service, new FakeRows(), new OneResourcePerTarget(), 1,
                LaneSchedulerTest.properties(1000, 1, 8, Duration.ofSeconds(5)),
                new CallCounts(new SimpleMeterRegistry()), Clocks.SYSTEM);
    }

    private static long seconds(double seconds) {
        return System.nanoTime() + (long) (seconds * 1e9);
    }

    /**
     * Every import fails the engine while both targets hold their share of the window queued:
     * the feed hands the rest on (the stopped engine takes none) and the round ends, so the
     * step comes to the failure instead of going round after round.
     */
    @Test
    void anEngineThatFailedDoesNotHoldTheFeed() throws Exception {
        Path file = input(40, i -> i % 2 == 0 ? KEY_1 : KEY_2);
        FakeService service = new FakeService(new FakeClocks());
        service.answers = token -> {
            // Long enough for both lanes to fill their shares first.
            try {
                Thread.sleep(500);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("the repository is gone");
        };
        try (ImportEngine engine = engine(service)) {
            LedgerFeed feed = new LedgerFeed(ledger(pending(file, row -> judge.target(row).orElseThrow()
                    .fingerprint())), new RecordAt(InputFile.open(file)), judge, new TargetIdentities(new FakeService(new FakeClocks()), new OneResourcePerTarget()), 8, 1,
                    new RowsLeftAlone());
            engine.start();

            assertThat(feed.feed(engine, seconds(20), () -> false)).as("the round ended with every row handed").isTrue();
            assertThatThrownBy(() -> engine.awaitCompletion(seconds(20))).hasMessageContaining("the repository is gone");
        }
    }

    /**
     * The key variable was set at load and is unset now: the rows are left for a run that has
     * it, at once, rather than one a second while the feed waits for lanes to take rows.
     */
    @Test
    void rowsWhoseKeyVariableIsUnsetNowAreLeftWithinTheRound() throws Exception {
        Path file = input(8, i -> "env:CV_LEDGER_FEED_TEST_UNSET");
        RowsLeftAlone leftAlone = new RowsLeftAlone();
        try (ImportEngine engine = engine(new FakeService(new FakeClocks()))) {
            LedgerFeed feed = new LedgerFeed(ledger(pending(file, row -> "resolved-at-load")),
                    new RecordAt(InputFile.open(file)), judge, new TargetIdentities(new FakeService(new FakeClocks()), new OneResourcePerTarget()), 8, 1, leftAlone);
            engine.start();

            assertThat(feed.feed(engine, seconds(3), () -> false)).as("every row left within a 3 s round").isTrue();
        }
        assertThat(leftAlone.keysUnavailable()).contains("CV_LEDGER_FEED_TEST_UNSET");
    }
}
