package io.cvimport.imports.lanes;

/** The calls the owner hands to the workers, each made off its thread. */
public interface LaneCalls {

    void send(Lane lane, Send send);

    void list(Lane lane, boolean reconcile);

    void recheckHeld(Lane lane);

    void verify(Lane lane, AwaitedImport succeeded);
}
