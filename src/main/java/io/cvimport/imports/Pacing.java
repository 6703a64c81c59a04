package io.cvimport.imports;

/** A call that waits for its turn outside the scheduler: while its lane is paused, then for its budget. */
final class Pacing {

    private Pacing() {
    }

    static void awaitTurn(LaneMonitor monitor, Lane lane, Clocks clocks) throws InterruptedException {
        long paused;
        while ((paused = monitor.locked(() -> lane.pausedUntilNanos - clocks.nanos())) > 0) {
            clocks.ticker().sleep(paused);
        }
        monitor.awaitBudget(lane);
    }
}
