package io.cvimport.imports.lanes;

import io.cvimport.ledger.RowRecorder;
import io.cvimport.imports.ImportProperties;

/**
 * What every worker's call works with: the ledger's rows to record outcomes in, the lanes'
 * owner to tell what happened, the lanes, the settings, the clocks and the call counts.
 */
public record CallContext(RowRecorder rows, LaneOwner owner, ResourceLanes lanes, ImportProperties properties,
        Clocks clocks, CallCounts counts) {
}
