package io.cvimport.imports.step;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.step.StepExecution;

/**
 * The import steps running in this process, by step execution: whatever stops every one
 * of them (a signal, a lost run lock, a worker's end or its lost lease) stops each through
 * its own tasklet, and, since the process is ending, any that begins after it too.
 */
public final class RunningImports {

    private final Map<Long, ImportTasklet> steps = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    void add(StepExecution step, ImportTasklet tasklet) {
        steps.put(step.getId(), tasklet);
        if (stopping) {
            tasklet.stopThis();
        }
    }

    void remove(StepExecution step) {
        steps.remove(step.getId());
    }

    @Nullable ImportTasklet of(StepExecution step) {
        return steps.get(step.getId());
    }

    /** Stops every import step of this process, and any that begins later. */
    public void stopAll() {
        stopping = true;
        steps.values().forEach(ImportTasklet::stopThis);
    }
}
