package io.cvimport.imports.lanes;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.cvimport.customvision.TargetResource;

/**
 * What the feeder saw of the window in one question to the lanes' owner: the rows each
 * target's lane held in memory, counted on as the feeder hands more, and a future completed
 * once rows leave the window after that look (or the engine stops), which the feeder waits on
 * when every target has its share: a row that left while it handed is not missed.
 */
public record QueuedRows(Map<TargetResource, Integer> byTarget, CompletableFuture<Boolean> rowsLeave) {

    public int of(TargetResource target) {
        return byTarget.getOrDefault(target, 0);
    }

    /** A row handed to the target's lane since the look. */
    public void handed(TargetResource target) {
        byTarget.merge(target, 1, Integer::sum);
    }
}
