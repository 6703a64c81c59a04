package io.cvimport.imports.lanes;

/** A call that waits for its turn outside the scheduler: while its lane is paused, then for its budget. */
public final class Pacing {

    private Pacing() {
    }

    public static void awaitTurn(LaneOwner owner, Lane lane, Clocks clocks) throws InterruptedException {
        long paused;
        while ((paused = owner.ask(() -> lane.pausedFor(clocks.nanos()))) > 0) {
            clocks.ticker().sleep(paused);
        }
        owner.awaitBudget(lane);
    }
}
