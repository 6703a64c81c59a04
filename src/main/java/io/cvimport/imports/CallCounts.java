package io.cvimport.imports;

import java.util.concurrent.atomic.LongAdder;

/** What the engine asked of the service, for the summary and the benchmark. */
public final class CallCounts {

    final LongAdder imports = new LongAdder();
    final LongAdder listings = new LongAdder();
    final LongAdder projectGets = new LongAdder();
    final LongAdder throttled = new LongAdder();
    final LongAdder retries = new LongAdder();
    final LongAdder lostAnswers = new LongAdder();
    final LongAdder adopted = new LongAdder();
    final LongAdder unsent = new LongAdder();

    public long calls() {
        return imports.sum() + listings.sum() + projectGets.sum();
    }

    public long imports() {
        return imports.sum();
    }

    public long listings() {
        return listings.sum();
    }

    public long projectGets() {
        return projectGets.sum();
    }

    public long throttled() {
        return throttled.sum();
    }

    public long retries() {
        return retries.sum();
    }

    public long lostAnswers() {
        return lostAnswers.sum();
    }

    public long adopted() {
        return adopted.sum();
    }

    /** Rows left PENDING because every attempt to send them was refused before any work. */
    public long unsent() {
        return unsent.sum();
    }

    @Override
    public String toString() {
        return "calls=" + calls() + " (imports=" + imports() + ", listings=" + listings() + ", gets=" + projectGets()
                + "), throttled=" + throttled() + ", retries=" + retries() + ", lostAnswers=" + lostAnswers()
                + ", adopted=" + adopted();
    }
}
