package io.cvimport.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

import io.cvimport.emulator.CustomVisionEmulator;

/**
 * The {@code sources} workload of {@code bench/run.sh}: rows that name their source projects,
 * spread over S source resources and T target resources, each resource at the same per-key
 * rate limit. The job exports every row on its source's budget, then imports it on its
 * target's, and (import.verify, on by default) reads there what it holds once it Succeeded (four reads).
 * <p>
 * The bound is the busiest resource's calls at its rate (a source: its exports; a target: its
 * imports and tag reads) plus the slowest import; issue 11 asks for wall time within
 * 1.3 x bound + 6 s and at most 2.2 calls per row without the tag reads.
 */
final class SourceBenchmark {

    private static final Duration IMPORT_MIN = Duration.ofSeconds(2);
    private static final Duration JITTER = Duration.ofSeconds(1);
    private static final Duration LATENCY = Duration.ofMillis(20);

    /** Reads per verified row: GetTaggedImageCount, GetUntaggedImageCount, GetTags, GetIterations. */
    private static final int VERIFYING_READS = 4;

    private SourceBenchmark() {
    }

    static void run(Map<String, String> options) throws Exception {
        int rows = Integer.parseInt(options.getOrDefault("rows", "400"));
        int sources = Integer.parseInt(options.getOrDefault("sources", "4"));
        int targets = Integer.parseInt(options.getOrDefault("targets", "4"));
        int rate = Integer.parseInt(options.getOrDefault("rate", "10"));
        boolean verify = Boolean.parseBoolean(options.getOrDefault("import.verify", "true"));
        String[] sourceKeys = keys(0x5c0000L, sources);
        String[] targetKeys = keys(0x7a0000L, targets);
        Path dir = Files.createTempDirectory("cvimport-bench");
        Path input = dir.resolve("sources.csv");

        try (CustomVisionEmulator emulator = new CustomVisionEmulator().key(sourceKeys).key(targetKeys)
                .ratePerSecond(rate).importDelay(IMPORT_MIN, JITTER).latency(LATENCY)) {
            List<String> lines = new ArrayList<>(List.of("sourceRegion,sourceKey,projectId,region,key,tenant"));
            for (int i = 0; i < rows; i++) {
                // Targets in turn, and each target's rows from every source in turn.
                String source = sourceKeys[i / targets % sources];
                String id = emulator.sourceProject(source, "bench-src-" + i, 3, 10);
                lines.add("eastus," + source + "," + id + ",westus2," + targetKeys[i % targets] + ",tenant-" + i);
            }
            Files.write(input, lines);

            Benchmark.Result run = Benchmark.runJar(dir, input, "-Xmx256m",
                    "--customvision.endpoint=" + emulator.endpoint(), "--import.rate-per-target=" + rate,
                    "--import.verify=" + verify);

            List<String> log = emulator.requestLog();
            long exports = count(log, c -> c.startsWith("GET ") && c.contains("/export"));
            long imports = count(log, c -> c.startsWith("POST ") && c.contains("/import"));
            // The reads that verify an import: GetTags, the two image counts, GetIterations.
            long tags = count(log, c -> c.startsWith("GET ") && (c.endsWith("/tags") || c.endsWith("/count")
                    || c.endsWith("/iterations")));
            long reads = log.size() - exports - imports - tags;
            int perSource = (rows + sources - 1) / sources;
            int perTarget = (rows + targets - 1) / targets;
            double sourceBound = (double) perSource / rate;
            double targetBound = (double) perTarget * (verify ? 1 + VERIFYING_READS : 1) / rate;
            double bound = Math.max(sourceBound, targetBound) + IMPORT_MIN.plus(JITTER).toMillis() / 1000.0;

            System.out.println();
            System.out.printf(Locale.ROOT, "workload sources: %d source rows, %d sources, %d targets, %d calls/s per"
                    + " key, imports %d-%d s, %d ms latency per call, import.verify=%s%n", rows, sources, targets,
                    rate, IMPORT_MIN.toSeconds(), IMPORT_MIN.plus(JITTER).toSeconds(), LATENCY.toMillis(), verify);
            System.out.printf(Locale.ROOT, "  exit code          %d%n", run.exitCode());
            System.out.printf(Locale.ROOT, "  wall time          %.1f s (JVM start included)%n", run.seconds());
            System.out.printf(Locale.ROOT, "  the job's own time %s%n", jobTime(dir.resolve("run.log")));
            System.out.printf(Locale.ROOT, "  bound              %.1f s (busiest source: %d exports = %.1f s; busiest"
                    + " target: %d imports%s = %.1f s; plus the slowest import)%n", bound, perSource, sourceBound,
                    perTarget, verify ? " + " + perTarget * VERIFYING_READS + " verifying reads" : "", targetBound);
            System.out.printf(Locale.ROOT, "  target             1.3 x bound + 6 s = %.1f s: %s%n", 1.3 * bound + 6,
                    run.seconds() <= 1.3 * bound + 6 ? "met" : "MISSED");
            System.out.printf(Locale.ROOT, "  calls per row      %.3f (%d calls: %d exports, %d imports, %d listings"
                    + " and gets, %d verifying reads); without them %.3f (target <= 2.2)%n", (double) log.size() / rows,
                    log.size(), exports, imports, reads, tags, (double) (log.size() - tags) / rows);
            System.out.printf(Locale.ROOT, "  429s               %.2f %% of calls (%d)%n",
                    100.0 * emulator.throttled() / Math.max(1, log.size()), emulator.throttled());
            System.out.printf(Locale.ROOT, "  peak RSS           %d MB, CPU of the job %.1f s%n", run.peakRssKb() / 1024,
                    run.cpuSeconds());
            System.out.println("  " + run.summaryLine());
            exactlyOnce(rows, targets, targetKeys, emulator, dir);
        }
    }

    private static String[] keys(long base, int n) {
        String[] keys = new String[n];
        for (int i = 0; i < n; i++) {
            keys[i] = String.format("%032x", base + i);
        }
        return keys;
    }

    private static long count(List<String> calls, Predicate<String> kind) {
        return calls.stream().filter(kind).count();
    }

    /** The run's own time, as its summary and Spring Batch's step lines tell it (the JVM's start excluded). */
    private static String jobTime(Path log) throws java.io.IOException {
        List<String> told = Files.readAllLines(log).stream()
                .filter(l -> l.startsWith("customvision-import: execution") || l.contains("executed in"))
                .map(l -> l.replaceAll("^.*(Step: |customvision-import: )", "")).toList();
        return told.isEmpty() ? "not told" : String.join("; ", told);
    }

    /** Each source project imported once into its target, from the emulator and the report. */
    private static void exactlyOnce(int rows, int targets, String[] targetKeys, CustomVisionEmulator emulator, Path dir)
            throws java.io.IOException {
        long imported = 0;
        long duplicates = 0;
        for (int t = 0; t < targets; t++) {
            for (CustomVisionEmulator.EmulatedProject project : emulator.projects(targetKeys[t])) {
                if (project.name().startsWith("bench-src-")) {
                    imported += project.name().contains(" (") ? 0 : 1;
                    duplicates += project.name().contains(" (") ? 1 : 0;
                }
            }
        }
        long succeeded;
        try (var reports = Files.list(dir.resolve("reports"))) {
            succeeded = Files.readAllLines(reports.findFirst().orElseThrow()).stream()
                    .filter(l -> l.contains(",SUCCEEDED,")).count();
        }
        System.out.printf(Locale.ROOT, "  exactly once       %d of %d source projects imported, %d duplicate imports,"
                + " %d SUCCEEDED%n", imported, rows, duplicates, succeeded);
    }
}
