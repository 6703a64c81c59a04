package io.cvimport.imports.engine;

import java.util.Collection;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import io.cvimport.customvision.CustomVisionApi;
import io.cvimport.customvision.SourceProject;
import io.cvimport.customvision.TargetResource;
import io.cvimport.ledger.ImportLedger;
import io.cvimport.ledger.ResourceLinks;
import io.cvimport.imports.lanes.CallContext;
import io.cvimport.imports.lanes.QueuedRows;
import io.cvimport.imports.lanes.CallCounts;
import io.cvimport.imports.lanes.EnvironmentStops;
import io.cvimport.imports.lanes.LaneScheduler;
import io.cvimport.imports.settling.Awaiting;
import io.cvimport.imports.settling.LostAnswers;
import io.cvimport.ledger.RowRecorder;
import io.cvimport.imports.lanes.CallsDue;
import io.cvimport.imports.lanes.Clocks;
import io.cvimport.imports.lanes.Lane;
import io.cvimport.imports.lanes.ResourceLanes;
import io.cvimport.imports.sending.ClaimWaits;
import io.cvimport.imports.sending.Sender;
import io.cvimport.imports.settling.Settler;
import io.cvimport.imports.settling.Verifier;
import io.cvimport.ledger.LedgerRows;
import io.cvimport.imports.lanes.AwaitedImport;
import io.cvimport.imports.lanes.LostAnswer;
import io.cvimport.imports.lanes.Send;
import io.cvimport.imports.lanes.LaneCalls;
import io.cvimport.imports.ImportProperties;

/**
 * Runs one job execution's imports, put together from parts a reader can take one at a
 * time: the {@link LaneScheduler} spreads rows over per-resource lanes and hands calls to
 * its workers; a {@link Sender} makes one import; a {@link Settler} makes one listing (with
 * {@link LostAnswers} for the imports whose answers were lost); {@link ClaimWaits} looks at
 * rows whose claim another run holds; every outcome goes through the {@link RowRecorder}.
 * <p>
 * The ledger is written before each import leaves ({@code SUBMITTING}) and as soon as its
 * answer arrives, so a crash at any instant leaves rows that are either provably unsent,
 * known by project id, or reconciled from the target's project list by the next run.
 * Workers start in {@link #start} and have stopped when {@link #close} returns.
 */
public final class ImportEngine implements AutoCloseable {

    private final LaneScheduler scheduler;
    private final LaneCalls calls;
    private final Awaiting awaiting;
    private final LostAnswers lostAnswers;
    private final EnvironmentStops environment = new EnvironmentStops();
    private final RowRecorder rows;
    private final CallCounts counts;

    public ImportEngine(CustomVisionApi client, ImportLedger ledger, ResourceLinks resources, long instance,
            ImportProperties properties, MeterRegistry meters) {
        // A lost answer's slot holds its resource for its request's lifetime and the clocks' tolerance.
        this(client, new LedgerRows(ledger, instance, client.requestLifetime().plus(properties.clockSkew()).toMillis()),
                resources, instance, properties, new CallCounts(meters), Clocks.SYSTEM);
    }

    public ImportEngine(CustomVisionApi client, RowRecorder rows, ResourceLinks resources, long instance,
            ImportProperties properties, CallCounts counts, Clocks clocks) {
        this.rows = rows;
        this.counts = counts;
        ResourceLanes lanes = new ResourceLanes(resources, properties, clocks.ticker());
        CallsDue due = new CallsDue(properties);
        this.scheduler = new LaneScheduler(lanes, due, properties, clocks);
        CallContext context = new CallContext(rows, scheduler, lanes, properties, clocks, counts);
        Verifier verifier = new Verifier(client, context, properties.verify());
        this.awaiting = new Awaiting(context, due, verifier);
        this.lostAnswers = new LostAnswers(context, awaiting, client.requestLifetime().toMillis());
        ClaimWaits claimWaits = new ClaimWaits(context, instance);
        Sender sender = new Sender(client, context, environment, awaiting, claimWaits);
        Settler settler = new Settler(client, context, resources, environment, awaiting, lostAnswers, due);
        this.calls = new LaneCalls() {
            @Override
            public void send(Lane lane, Send send) {
                sender.send(lane, send);
            }

            @Override
            public void list(Lane lane, boolean reconcile) {
                settler.list(lane, reconcile);
            }

            @Override
            public void recheckHeld(Lane lane) {
                claimWaits.recheck(lane);
            }

            @Override
            public void verify(Lane lane, AwaitedImport succeeded) {
                verifier.verify(lane, succeeded);
            }
        };
    }

    public void start() {
        scheduler.start(calls);
    }

    /**
     * Queues a row to send; waits while the window of rows held in memory is full, until
     * {@code untilNanos} (System.nanoTime; MAX_VALUE: as long as it takes).
     *
     * @return false when the window was still full then: hand the row again later
     */
    public boolean send(TargetResource target, long rowNo, String token, long untilNanos) throws InterruptedException {
        return send(target, rowNo, token, null, untilNanos);
    }

    /** The same, for a row whose token is exported from {@code source} just before its import leaves (if not null). */
    public boolean send(TargetResource target, long rowNo, String token, @Nullable SourceProject source, long untilNanos)
            throws InterruptedException {
        return scheduler.send(new Send(target, rowNo, token, 0, 0, source), untilNanos);
    }

    /** Rows queued on each target's lane, not sent yet, and when rows next leave the window. */
    public QueuedRows queued(Collection<TargetResource> targets) {
        return scheduler.queued(targets);
    }

    /** Waits a while (a second at most) for rows to leave the window after {@code looked}; false once {@code untilNanos} passed. */
    public boolean awaitTaken(QueuedRows looked, long untilNanos) throws InterruptedException {
        return scheduler.awaitTaken(looked, untilNanos);
    }

    /**
     * Awaits a project an earlier execution submitted (IMPORTING, or TIMED_OUT and given
     * another chance); {@code source}: the row names its source project, whose import is verified.
     */
    public void await(TargetResource target, long rowNo, String projectId, long sentAtMillis, boolean source) {
        AwaitedImport awaited = awaiting.of(rowNo, projectId, sentAtMillis, source, null);
        scheduler.sent(target, lane -> lane.awaitFromEarlier(awaited));
    }

    /** Reconciles a row an earlier execution recorded as sent without learning its project. */
    public void reconcile(TargetResource target, long rowNo, String token, @Nullable SourceProject source, long sentAtMillis) {
        LostAnswer lost = lostAnswers.of(target, rowNo, token, source, sentAtMillis);
        scheduler.sent(target, lane -> lane.answerLost(lost));
    }

    public void feedingDone() {
        scheduler.feedingDone();
    }

    /** Stops at the next boundary: nothing new is sent, calls in progress are recorded. */
    public void stop() {
        scheduler.stop();
    }

    /**
     * Waits until every fed row is settled or the engine stopped, until {@code untilNanos}
     * at most; throws what made the engine fail.
     *
     * @return whether it is done
     */
    public boolean awaitCompletion(long untilNanos) throws InterruptedException {
        return scheduler.awaitCompletion(untilNanos);
    }

    /** Stops and waits for the calls in progress to be recorded: no worker writes after this returns. */
    @Override
    public void close() {
        scheduler.close();
    }

    public CallCounts counts() {
        return counts;
    }

    /** The rows settled so far, by kind of outcome. */
    public RowRecorder.Settled settled() {
        return rows.settled();
    }

    /** One line per cause that made the engine stop sending to targets, with its remedy; empty if none. */
    public List<String> environmentFailures() {
        return environment.lines();
    }

    public String state() {
        return scheduler.state();
    }

    /** Rows sent whose project could not be looked up before their deadline: left as they are. */
    public int unreconciled() {
        return lostAnswers.unreconciled();
    }
}
