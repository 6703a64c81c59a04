package io.cvimport.imports;

import java.time.InstantSource;

/**
 * The engine's two clocks: the wall clock for the times it records and compares with the
 * service's, and a monotonic one for pacing and waits (the wall clock may step).
 */
record Clocks(InstantSource wall, Ticker ticker) {

    static final Clocks SYSTEM = new Clocks(InstantSource.system(), Ticker.SYSTEM);

    long millis() {
        return wall.millis();
    }

    long nanos() {
        return ticker.nanos();
    }
}
