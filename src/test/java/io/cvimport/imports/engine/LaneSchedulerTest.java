package io.cvimport.imports.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.cvimport.customvision.Region;
import io.cvimport.customvision.TargetResource;
import io.cvimport.ledger.RowStatus;
import io.cvimport.imports.lanes.CallCounts;
import io.cvimport.imports.lanes.Clocks;
import io.cvimport.imports.ImportProperties;

/**
 * The scheduler's rules, on fake clocks that move only when the engine waits and a service
 * answered in memory: each test covers minutes of the service's time in milliseconds.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public class LaneSchedulerTest {

    private static final TargetResource TARGET = new TargetResource(Region.WEST_US_2,
            URI.create("https://westus2.api.cognitive.microsoft.com"), "0123456789abcdef0123456789abcdef");
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long MILLI = TimeUnit.MILLISECONDS.toNanos(1);

    private final FakeClocks clock = new FakeClocks();
    private final FakeService service = new FakeService(clock);
    private final FakeRows rows = new FakeRows();

    public static ImportProperties properties(double rate, int concurrency, int window, Duration inDoubtGrace) {
        return new ImportProperties(rate, Map.of(), concurrency, window, Duration.ofSeconds(1), Duration.ofSeconds(10),
                Duration.ofMinutes(30), 8, Duration.ofSeconds(120), inDoubtGrace, Duration.ofSeconds(2), false, false,
                Duration.ofHours(24), true);
    }

    private ImportEngine engine(ImportProperties properties) {
        return new ImportEngine(service, rows, new OneResourcePerTarget(), 1, properties, new CallCounts(new SimpleMeterRegistry()),
                clock.clocks());
    }


    /** Another resource for each {@code n}: its own key. */
    private static TargetResource target(int n) {
        return new TargetResource(Region.WEST_US_2, TARGET.endpoint(), "0123456789abcdef0123456789abcde" + n);
    }

    private static String token(long row) {
        return "token-" + row;
    }

    private static void feed(ImportEngine engine, int from, int to) throws InterruptedException {
        for (int row = from; row <= to; row++) {
            assertThat(engine.send(TARGET, row, token(row), Long.MAX_VALUE)).isTrue();
        }
    }

    private static void finish(ImportEngine engine) throws InterruptedException {
        engine.feedingDone();
        assertThat(engine.awaitCompletion(Long.MAX_VALUE)).isTrue();
        engine.close();
    }

    private void assertEachImportedOnceAndSucceeded(int rowCount) {
        for (int row = 1; row <= rowCount; row++) {
            assertThat(service.importsOf(token(row))).as("imports of row %d", row).isEqualTo(1);
            assertThat(rows.of(row)).as("row %d", row).isEqualTo(RowStatus.SUCCEEDED);
        }
    }

    @Test
    void callsToOneTargetStayUnderItsRate() throws Exception {
        // One worker, so that each call is logged at the fake instant it was paced for.
        ImportEngine engine = engine(properties(10, 1, 100, Duration.ofSeconds(5)));
        feed(engine, 1, 40);
        engine.start();
        finish(engine);

        assertEachImportedOnceAndSucceeded(40);
        List<Long> times = service.calls.stream().map(FakeService.Call::nanos).sorted().toList();
        for (int i = 0; i < times.size(); i++) {
            long start = times.get(i);
            long inOneSecond = times.stream().filter(t -> t >= start && t < start + SECOND).count();
            assertThat(inOneSecond).as("calls in the second from call %d", i).isLessThanOrEqualTo(10);
        }
        List<Long> imports = service.times(FakeService.Kind.IMPORT);
        // At the budget, not below it: 40 imports at 10 per second (and 3 % margin).
        assertThat(imports.get(imports.size() - 1) - imports.get(0)).isLessThan(45 * SECOND / 10);
    }

    @Test
    void aThrottledLaneWaitsAsToldThenCutsItsRateAndRecoversItSlowly() throws Exception {
        AtomicBoolean throttledOnce = new AtomicBoolean();
        service.answers = token -> token.equals(token(5)) && throttledOnce.compareAndSet(false, true)
                ? FakeService.throttled(Duration.ofSeconds(2)) : null;
        ImportEngine engine = engine(properties(10, 1, 100, Duration.ofSeconds(5)));
        feed(engine, 1, 60);
        engine.start();
        finish(engine);

        assertEachImportedOnceAndSucceeded(60);
        List<Long> times = service.calls.stream().map(FakeService.Call::nanos).toList();
        int throttled = service.calls.stream().map(FakeService.Call::token).toList().indexOf(token(5));
        assertThat(times.get(throttled + 1) - times.get(throttled)).as("Retry-After honoured")
                .isGreaterThanOrEqualTo(2 * SECOND);
        // 10 calls/s paces 103 ms apart; cut by a tenth, 114 ms; a two-hundredth back per answer.
        assertThat(times.get(throttled + 2) - times.get(throttled + 1)).isGreaterThan(110 * MILLI);
        assertThat(times.get(throttled + 6) - times.get(throttled + 5)).isGreaterThan(108 * MILLI);
        assertThat(times.get(throttled + 40) - times.get(throttled + 39)).isLessThan(106 * MILLI);
        assertThat(times.get(throttled - 1) - times.get(throttled - 2)).isLessThan(106 * MILLI);
    }

    @Test
    void listingsBackOffWhileNothingChanges() throws Exception {
        service.importTakes = Duration.ofSeconds(60);
        // One worker: the fake time moves only when it waits, so the intervals are exact.
        ImportEngine engine = engine(properties(10, 1, 100, Duration.ofSeconds(5)));
        feed(engine, 1, 1);
        engine.start();
        finish(engine);

        assertEachImportedOnceAndSucceeded(1);
        long sent = service.times(FakeService.Kind.IMPORT).get(0);
        // After the listing every lane makes before its first import.
        List<Long> listings = service.times(FakeService.Kind.LIST).stream().filter(t -> t > sent).toList();
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < listings.size(); i++) {
            gaps.add(listings.get(i) - listings.get(i - 1));
        }
        long firstGap = listings.get(0) - sent;
        assertThat(firstGap).isBetween(SECOND, SECOND + 10 * MILLI);
        // 1 s, then half as long again each time, up to 10 s: a dozen listings in a minute, not sixty.
        assertThat(gaps).isSorted();
        assertThat(gaps.get(0)).isBetween(1500 * MILLI, 1510 * MILLI);
        assertThat(gaps.get(gaps.size() - 1)).isBetween(10 * SECOND, 10 * SECOND + 10 * MILLI);
        assertThat(listings).hasSizeLessThanOrEqualTo(13);
    }

    @Test
    void feedingWaitsWhileTheWindowOfRowsInMemoryIsFull() throws Exception {
        ImportEngine engine = engine(properties(10, 2, 3, Duration.ofSeconds(5)));
        feed(engine, 1, 3);
        long before = clock.nanos();
        assertThat(engine.send(TARGET, 4, token(4), before + SECOND)).as("a fourth row in a window of 3").isFalse();
        assertThat(clock.nanos()).isGreaterThanOrEqualTo(before + SECOND);
        assertThat(engine.state()).startsWith("queued=3 ");

        engine.start();
        // The workers make room: the same row is taken once a call has left.
        assertThat(engine.send(TARGET, 4, token(4), Long.MAX_VALUE)).isTrue();
        feed(engine, 5, 20);
        finish(engine);

        assertEachImportedOnceAndSucceeded(20);
    }

    @Test
    void aStopLetsTheSendsInFlightFinishAndBeRecordedAndSendsNothingNew() throws Exception {
        CountDownLatch inFlight = new CountDownLatch(4);
        CountDownLatch answer = new CountDownLatch(1);
        service.answers = token -> {
            inFlight.countDown();
            await(answer);
            return null;
        };
        ImportEngine engine = engine(properties(1000, 4, 100, Duration.ofSeconds(5)));
        // Four resources: one import of unknown outcome at a time on each.
        for (int row = 1; row <= 10; row++) {
            assertThat(engine.send(target((row - 1) % 4), row, token(row), Long.MAX_VALUE)).isTrue();
        }
        engine.start();
        assertThat(inFlight.await(5, TimeUnit.SECONDS)).isTrue();

        engine.stop();
        answer.countDown();
        assertThat(engine.awaitCompletion(Long.MAX_VALUE)).isTrue();
        engine.close();

        assertThat(service.times(FakeService.Kind.IMPORT)).hasSize(4);
        for (int row = 1; row <= 4; row++) {
            assertThat(rows.of(row)).as("row %d, in flight at the stop", row).isEqualTo(RowStatus.IMPORTING);
        }
        for (int row = 5; row <= 10; row++) {
            assertThat(rows.of(row)).as("row %d, queued at the stop", row).isEqualTo(RowStatus.PENDING);
        }
    }

    @Test
    void aLostAnswerHoldsItsResourcesSendsUntilAListingHasAdoptedItsProject() throws Exception {
        service.answers = token -> {
            if (token.equals(token(1))) {
                service.make(token);
                return FakeService.lost();
            }
            return null;
        };
        Duration grace = Duration.ofSeconds(1);
        ImportEngine engine = engine(properties(10, 2, 100, grace));
        feed(engine, 1, 40);
        engine.start();
        finish(engine);

        assertEachImportedOnceAndSucceeded(40);
        // In the order the service took them: the fake clock does not move between a listing and
        // an import that follows it at once, so their times can be equal.
        List<FakeService.Call> calls = List.copyOf(service.calls);
        int lostAt = indexOf(calls, 0, call -> call.kind() == FakeService.Kind.IMPORT);
        long lost = calls.get(lostAt).nanos();
        int decidedAt = indexOf(calls, lostAt + 1, call -> call.kind() == FakeService.Kind.LIST && call.nanos() > lost);
        long decided = calls.get(decidedAt).nanos();
        assertThat(decided).as("the listing that adopted row 1's project").isGreaterThanOrEqualTo(lost + grace.toNanos());
        assertThat(calls.subList(lostAt + 1, decidedAt)).as("imports sent while row 1's outcome was unknown")
                .noneMatch(call -> call.kind() == FakeService.Kind.IMPORT);
    }

    private static int indexOf(List<FakeService.Call> calls, int from, Predicate<FakeService.Call> match) {
        for (int i = from; i < calls.size(); i++) {
            if (match.test(calls.get(i))) {
                return i;
            }
        }
        throw new AssertionError("no such call after call " + from + ": " + calls);
    }

    /**
     * The job machine's wall clock steps by five minutes mid-run while a third of the answers
     * are lost after the work: the projects' creation times then lie outside every window the
     * wall clock gives, yet each lost import's project is the only one first listed after it
     * was sent (the monotonic clock). No duplicate, nothing IN_DOUBT.
     */
    @ParameterizedTest
    @ValueSource(longs = { -5, 5 })
    void aStepOfTheWallClockMidRunNeitherDuplicatesNorLeavesRowsInDoubt(long minutes) throws Exception {
        AtomicInteger sent = new AtomicInteger();
        service.answers = token -> {
            int n = sent.incrementAndGet();
            if (n == 8) {
                clock.stepWall(Duration.ofMinutes(minutes));
            }
            if (n % 3 == 0) {
                service.make(token);
                return FakeService.lost();
            }
            return null;
        };
        ImportEngine engine = engine(properties(10, 2, 100, Duration.ofSeconds(1)));
        feed(engine, 1, 30);
        engine.start();
        finish(engine);

        assertEachImportedOnceAndSucceeded(30);
    }

    @Test
    void aLostImportThatMadeNothingIsSentAgainOnlyOnceItsRequestsWholeLifetimeHasPassed() throws Exception {
        AtomicBoolean lostOnce = new AtomicBoolean();
        service.answers = token -> token.equals(token(1)) && lostOnce.compareAndSet(false, true) ? FakeService.lost()
                : null;
        ImportEngine engine = engine(properties(10, 2, 100, Duration.ofSeconds(1)));
        feed(engine, 1, 5);
        engine.start();
        finish(engine);

        assertEachImportedOnceAndSucceeded(5);
        List<Long> imports = service.times(FakeService.Kind.IMPORT);
        // Row 1 twice (lost, then made), rows 2 to 5 once: none of them while row 1's request could still be performed.
        assertThat(imports).hasSize(6);
        assertThat(imports.get(1) - imports.get(0)).as("the second send after the request's lifetime (10 s)")
                .isGreaterThanOrEqualTo(service.requestLifetime().toNanos());
    }

    /**
     * Row 1 alone, so that the lane observes how long an import takes there: listed before it
     * is sent (every lane lists first), sent at 0, listed at 1 s (Importing) and at 2.5 s
     * (done). Returns the engine, still fed.
     */
    private ImportEngine engineThatObservedOneImport(Duration inDoubtGrace) throws Exception {
        ImportEngine engine = engine(properties(10, 1, 100, inDoubtGrace));
        feed(engine, 1, 1);
        engine.start();
        waitUntil(() -> rows.of(1) == RowStatus.SUCCEEDED);
        assertThat(service.times(FakeService.Kind.LIST)).hasSize(3);
        return engine;
    }

    /**
     * Feeds rows to a running engine as one batch: the idle engine's fake time would run on
     * between two rows fed one by one, so the first row's import is held until all are queued.
     */
    private void feedTogether(ImportEngine engine, int from, int to) throws InterruptedException {
        CountDownLatch inFlight = new CountDownLatch(1);
        CountDownLatch queued = new CountDownLatch(1);
        var scripted = service.answers;
        service.answers = token -> {
            if (token.equals(token(from))) {
                inFlight.countDown();
                await(queued);
            }
            return scripted.apply(token);
        };
        feed(engine, from, from);
        assertThat(inFlight.await(5, TimeUnit.SECONDS)).isTrue();
        feed(engine, from + 1, to);
        queued.countDown();
    }

    private List<Long> callsAfter(FakeService.Kind kind, long from) {
        return service.times(kind).stream().filter(t -> t >= from).toList();
    }

    @Test
    void aLaneFirstListsWhenItsImportsCanHaveFinishedAsObservedThere() throws Exception {
        ImportEngine engine = engineThatObservedOneImport(Duration.ofSeconds(5));
        int before = service.times(FakeService.Kind.IMPORT).size();
        feedTogether(engine, 2, 6);
        finish(engine);

        assertEachImportedOnceAndSucceeded(6);
        List<Long> imports = service.times(FakeService.Kind.IMPORT);
        long sent = imports.get(before);
        long lastSent = imports.get(imports.size() - 1);
        assertThat(lastSent - sent).isGreaterThanOrEqualTo(300 * MILLI);
        List<Long> listings = callsAfter(FakeService.Kind.LIST, sent);
        // Imports took 2.5 s here (sent to first seen done): a listing at 1 s would find nothing, and
        // one before the last import could have finished would find only some done.
        assertThat(listings).hasSize(1);
        assertThat(listings.get(0) - lastSent).isBetween(2500 * MILLI, 2600 * MILLI);
    }

    @Test
    void aLostAnswerIsReconciledAfterItsGraceAndTheNextListingWaitsForTheAwaitedImports() throws Exception {
        ImportEngine engine = engineThatObservedOneImport(Duration.ofMillis(500));
        service.answers = token -> {
            if (token.equals(token(2))) {
                service.make(token);
                return FakeService.lost();
            }
            return null;
        };
        int before = service.times(FakeService.Kind.IMPORT).size();
        feedTogether(engine, 2, 6);
        finish(engine);

        assertEachImportedOnceAndSucceeded(6);
        long lostAt = service.times(FakeService.Kind.IMPORT).get(before);
        List<Long> listings = callsAfter(FakeService.Kind.LIST, lostAt);
        // The reconciliation keeps its own timing; after it, nothing is listed before 2.5 s from the
        // last sending, when every import awaited could have finished.
        List<Long> imports = service.times(FakeService.Kind.IMPORT);
        long lastSent = imports.get(imports.size() - 1);
        assertThat(listings.get(0) - lostAt).isBetween(500 * MILLI, 600 * MILLI);
        assertThat(listings).hasSize(2);
        assertThat(listings.get(1) - lastSent).isBetween(2500 * MILLI, 2600 * MILLI);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 5 s").isLessThan(deadline);
            Thread.sleep(1);
        }
    }

    /**
     * A feeder whose targets have their share queued waits for a row to leave the window (or a
     * second), not for the owner's next look at the lanes: that look came at once after the
     * feeder's own question, so the feeder and the owner woke each other without end, on real
     * clocks, as long as the lanes were full.
     */
    @Test
    void aFeederWaitsForRoomInsteadOfWakingAtEveryLookAtTheLanes() throws Exception {
        ImportEngine engine = new ImportEngine(service, rows, new OneResourcePerTarget(), 1,
                properties(0.5, 1, 4, Duration.ofSeconds(5)), new CallCounts(new SimpleMeterRegistry()), Clocks.SYSTEM);
        feed(engine, 1, 4);
        engine.start();

        int wakes = 0;
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_500);
        while (System.nanoTime() < until) {
            engine.awaitTaken(engine.queued(List.of(TARGET)), until);
            wakes++;
        }
        engine.stop();
        assertThat(engine.awaitCompletion(Long.MAX_VALUE)).isTrue();
        engine.close();

        // At 0.5 calls a second, a listing and a send or two leave in 1.5 s; before, thousands of wakes.
        assertThat(wakes).isLessThanOrEqualTo(5);
    }
}
