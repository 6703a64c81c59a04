package io.cvimport.job;

import org.springframework.stereotype.Component;
import io.cvimport.imports.step.ImportTasklet;
import io.cvimport.imports.step.RunningImports;


/**
 * Stops the run of this process (a signal, a lost run lock): its job marked stopping and
 * its running steps terminate-only ({@link RunControl}), and each of its import steps
 * stopped at once, its calls in flight recorded ({@link RunningImports}).
 */
@Component
record StopHere(RunControl control, RunningImports imports) {

    void stop() {
        imports.stopAll();
        control.stop();
    }
}
