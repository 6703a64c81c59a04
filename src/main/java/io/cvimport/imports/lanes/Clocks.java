package io.cvimport.imports.lanes;

import java.time.InstantSource;

/**
 * The engine's two clocks: the wall clock for the times it records and compares with the
 * service's, and a monotonic one for pacing and waits (the wall clock may step).
 */
public record Clocks(InstantSource wall, Ticker ticker) {

    public static final Clocks SYSTEM = new Clocks(InstantSource.system(), Ticker.SYSTEM);

    public long millis() {
        return wall.millis();
    }

    public long nanos() {
        return ticker.nanos();
    }
}
