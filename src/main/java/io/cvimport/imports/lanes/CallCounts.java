package io.cvimport.imports.lanes;

import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What the engine asked of the service in one run, for the summary and the benchmark;
 * each count also feeds a Micrometer counter of the process.
 */
public final class CallCounts {

    private final Count imports;
    private final Count listings;
    private final Count projectGets;
    private final Count throttled;
    private final Count retries;
    private final Count lostAnswers;
    private final Count adopted;
    private final Count unsent;
    private final Count exports;
    private final Count tagReads;

    public CallCounts(MeterRegistry registry) {
        imports = new Count(Counter.builder("cvimport.api.calls").tag("operation", "import")
                .description("ImportProject calls").register(registry));
        listings = new Count(Counter.builder("cvimport.api.calls").tag("operation", "list")
                .description("GetProjects calls").register(registry));
        projectGets = new Count(Counter.builder("cvimport.api.calls").tag("operation", "get")
                .description("GetProject calls").register(registry));
        throttled = new Count(Counter.builder("cvimport.api.throttled").description("calls answered 429")
                .register(registry));
        retries = new Count(Counter.builder("cvimport.import.retries").description("imports sent again after a"
                + " refusal before any work").register(registry));
        lostAnswers = new Count(Counter.builder("cvimport.import.answers.lost").description("imports whose answer"
                + " was lost").register(registry));
        adopted = new Count(Counter.builder("cvimport.import.adopted").description("projects of lost answers found"
                + " in the project list").register(registry));
        unsent = new Count(Counter.builder("cvimport.import.unsent").description("rows left pending after"
                + " import.max-attempts").register(registry));
        exports = new Count(Counter.builder("cvimport.api.calls").tag("operation", "export")
                .description("ExportProject calls, on source resources").register(registry));
        tagReads = new Count(Counter.builder("cvimport.api.calls").tag("operation", "tags")
                .description("reads verifying imported projects (image counts, tags, iterations)")
                .register(registry));
    }

    /** A run's count, mirrored into the process's counter. */
    private static final class Count {
        private final LongAdder run = new LongAdder();
        private final Counter counter;

        Count(Counter counter) {
            this.counter = counter;
        }

        void increment() {
            run.increment();
            counter.increment();
        }

        long sum() {
            return run.sum();
        }
    }

    public void imported() {
        imports.increment();
    }

    public void listed() {
        listings.increment();
    }

    public void fetched() {
        projectGets.increment();
    }

    public void throttled() {
        throttled.increment();
    }

    public void retried() {
        retries.increment();
    }

    public void answerLost() {
        lostAnswers.increment();
    }

    public void adopted() {
        adopted.increment();
    }

    public void unsent() {
        unsent.increment();
    }

    public void exported() {
        exports.increment();
    }

    public void tagsRead() {
        tagReads.increment();
    }

    public long calls() {
        return imports.sum() + listings.sum() + projectGets.sum() + exports.sum() + tagReads.sum();
    }

    /** Calls the service answered 429 (throttled). */
    public long answered429() {
        return throttled.sum();
    }

    /** ExportProject calls, of rows that name their source project. */
    public long exports() {
        return exports.sum();
    }

    public long imports() {
        return imports.sum();
    }

    /** Rows left PENDING because every attempt to send them was refused before any work. */
    public long unsentRows() {
        return unsent.sum();
    }

    @Override
    public String toString() {
        return "calls=" + calls() + " (imports=" + imports.sum() + ", listings=" + listings.sum() + ", gets="
                + projectGets.sum() + (exports.sum() + tagReads.sum() == 0 ? ""
                        : ", exports=" + exports.sum() + ", tagReads=" + tagReads.sum()) + "), throttled=" + throttled.sum() + ", retries=" + retries.sum()
                + ", lostAnswers=" + lostAnswers.sum() + ", adopted=" + adopted.sum();
    }
}
