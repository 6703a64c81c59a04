package io.cvimport.job;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns SIGTERM (cron, systemd, Kubernetes) and SIGINT into a request to stop at the next
 * boundary, instead of the JVM's shutdown in mid-step; restores the previous handlers on
 * close.
 */
final class SignalStop implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SignalStop.class);
    private static final List<String> SIGNALS = List.of("TERM", "INT");

    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();

    private SignalStop() {
    }

    static SignalStop install(Runnable onStop) {
        SignalStop stop = new SignalStop();
        for (String name : SIGNALS) {
            try {
                Signal signal = new Signal(name);
                stop.previous.add(Signal.handle(signal, s -> onStop.run()));
                stop.signals.add(signal);
            }
            catch (IllegalArgumentException unsupported) {
                log.debug("cannot handle SIG{} here", name);
            }
        }
        return stop;
    }

    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) {
            Signal.handle(signals.get(i), previous.get(i));
        }
    }
}
