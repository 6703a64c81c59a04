package io.cvimport.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.cvimport.customvision.ApiResult;
import io.cvimport.customvision.CustomVisionClient;
import io.cvimport.customvision.Project;
import io.cvimport.customvision.ProjectStatus;
import io.cvimport.emulator.CustomVisionEmulator;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs the packaged jar as a process against the emulator configured like the service and
 * prints what it measured: {@code bench/run.sh}. No assertion: figures to read.
 * <p>
 * Workloads: {@code imports} (rows over targets at a per-key rate limit, imports taking
 * seconds with jitter, plus a sequential import-then-poll loop on a sample as the
 * reference), {@code no-calls} (rows that need no API call, under -Xmx256m) and
 * {@code sources} (rows that name their source projects: {@link SourceBenchmark}) and
 * {@code engine-cost} (the job's own CPU, file and start per row: {@link EngineCostBenchmark}).
 * <p>
 * The imports' input has a shape: {@code grouped} (one block of rows per target, as
 * migration files sorted by tenant are) or {@code interleaved} (targets in turn, row by
 * row). Many thin targets are {@code --targets=200} with either.
 */
public final class Benchmark {

    private static final Path JAR = Path.of("target/customvision-import.jar").toAbsolutePath();

    private Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        String workload = options.getOrDefault("workload", "imports");

        if (workload.equals("imports") || workload.equals("all")) {
            imports(Integer.parseInt(options.getOrDefault("rows", "2000")),
                    Integer.parseInt(options.getOrDefault("targets", "20")),
                    Integer.parseInt(options.getOrDefault("rate", "10")),
                    Integer.parseInt(options.getOrDefault("sample", "20")),
                    Double.parseDouble(options.getOrDefault("lose-answers", "0")),
                    Shape.valueOf(options.getOrDefault("shape", "grouped").toUpperCase(Locale.ROOT)),
                    Duration.ofMillis(Long.parseLong(options.getOrDefault("post-latency", "0"))),
                    Double.parseDouble(options.getOrDefault("gateway-503", "0")));
        }
        if (workload.equals("sources")) {
            SourceBenchmark.run(options);
        }
        if (workload.equals("engine-cost")) {
            EngineCostBenchmark.run(options);
        }
        if (workload.equals("no-calls") || workload.equals("all")) {
            noCalls(Integer.parseInt(options.getOrDefault("invalid-rows", "300000")));
        }
        if (workload.equals("scale-out")) {
            new ScaleOutBenchmark(Integer.parseInt(options.getOrDefault("rows", "2000")),
                    Integer.parseInt(options.getOrDefault("targets", "40")),
                    Integer.parseInt(options.getOrDefault("rate", "2"))).run(
                    Integer.parseInt(options.getOrDefault("repeat", "1")),
                    Boolean.parseBoolean(options.getOrDefault("kill", "true")));
        }
        System.exit(0);
    }

    enum Shape {
        GROUPED, INTERLEAVED
    }

    /**
     * @param postLatency how long the service takes to answer each ImportProject, after performing it
     * @param gateway503  the share of all calls a gateway answers 503 before any work (an import's 503 is
     *                    an answer lost: the job cannot tell it from one after the work)
     */
    static void imports(int rows, int targets, int rate, int sample, double loseAnswers, Shape shape,
            Duration postLatency, double gateway503) throws Exception {
        Duration importMin = Duration.ofSeconds(2);
        Duration jitter = Duration.ofSeconds(1);
        Duration latency = Duration.ofMillis(20);
        String[] keys = new String[targets];
        for (int t = 0; t < targets; t++) {
            keys[t] = String.format("%032x", 0xbe0000L + t);
        }
        Path dir = Files.createTempDirectory("cvimport-bench");
        Path input = dir.resolve("bench.csv");
        List<String> lines = new ArrayList<>(List.of("token,region,key,tenant"));
        if (shape == Shape.INTERLEAVED) {
            for (int i = 0; i < rows; i++) {
                lines.add(line(i, targets, keys));
            }
        }
        else {
            for (int t = 0; t < targets; t++) {
                for (int i = t; i < rows; i += targets) {
                    lines.add(line(i, targets, keys));
                }
            }
        }
        Files.write(input, lines);

        try (CustomVisionEmulator emulator = new CustomVisionEmulator().key(keys).ratePerSecond(rate)
                .importDelay(importMin, jitter).latency(latency).loseAnswers(loseAnswers).importLatency(postLatency)
                .gateway503BeforeWork(gateway503)) {
            Result run = runJar(dir, input, "-Xmx256m", "--customvision.endpoint=" + emulator.endpoint(),
                    "--import.rate-per-target=" + rate);
            double lowerBound = (double) ((rows + targets - 1) / targets) / rate + importMin.plus(jitter).toMillis() / 1000.0;
            long calls = emulator.calls();
            System.out.println();
            System.out.printf(Locale.ROOT, "workload imports (%s): %d rows over %d targets at %d calls/s each, imports"
                    + " %d-%d s, %d ms latency per call, %d ms more per import, %.1f %% gateway 503s%n",
                    shape.name().toLowerCase(Locale.ROOT), rows, targets, rate, importMin.toSeconds(),
                    importMin.plus(jitter).toSeconds(), latency.toMillis(), postLatency.toMillis(), 100 * gateway503);
            System.out.printf(Locale.ROOT, "  exit code          %d%n", run.exitCode());
            System.out.printf(Locale.ROOT, "  wall time          %.1f s (JVM start included)%n", run.seconds());
            System.out.printf(Locale.ROOT, "  lower bound        %.1f s (max rows per target / rate + slowest import)%n",
                    lowerBound);
            System.out.printf(Locale.ROOT, "  ratio              %.2f (target: wall <= 1.3 x bound + 6 s = %.1f s)%n",
                    run.seconds() / lowerBound, 1.3 * lowerBound + 6);
            System.out.printf(Locale.ROOT, "  API calls per row  %.3f (%d calls: %d imports)%n", (double) calls / rows,
                    calls, emulator.imports());
            System.out.printf(Locale.ROOT, "  429s               %.2f %% of calls (%d)%n",
                    100.0 * emulator.throttled() / Math.max(1, calls), emulator.throttled());
            System.out.printf(Locale.ROOT, "  peak RSS           %d MB%n", run.peakRssKb() / 1024);
        System.out.printf(Locale.ROOT, "  CPU of the job     %.1f s (user and system, start included)%n", run.cpuSeconds());
            System.out.println("  " + run.summaryLine());
            exactlyOnce(dir, rows, targets, keys, emulator);
            if (loseAnswers > 0 || gateway503 > 0 || !postLatency.isZero()) {
                return;
            }

            // The reference: one row at a time, import then poll every second until done.
            CustomVisionClient client = new CustomVisionClient(HttpClients.custom().disableAutomaticRetries().build(),
                    JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build(),
                    java.time.Duration.ofSeconds(70));
            long start = System.nanoTime();
            long sequentialCalls = 0;
            for (int i = 0; i < sample; i++) {
                String key = keys[i % targets];
                ApiResult<Project> imported = client.importProject(emulator.endpoint(), key, token(1_000_000 + i));
                sequentialCalls++;
                if (!(imported instanceof ApiResult.Ok<Project> ok)) {
                    continue;
                }
                ProjectStatus status = ok.value().status();
                while (status == ProjectStatus.IMPORTING) {
                    Thread.sleep(1000);
                    ApiResult<Project> polled = client.getProject(emulator.endpoint(), key, ok.value().id());
                    sequentialCalls++;
                    if (polled instanceof ApiResult.Ok<Project> p) {
                        status = p.value().status();
                    }
                }
            }
            double perRow = (System.nanoTime() - start) / 1e9 / sample;
            System.out.printf(Locale.ROOT, "  reference          sequential import-then-poll loop on %d rows: %.2f s and"
                    + " %.1f calls per row; %d rows would take %.0f s (%.1f min)%n", sample, perRow,
                    (double) sequentialCalls / sample, rows, perRow * rows, perRow * rows / 60);
        }
    }

    /** Duplicates, rows without an outcome and IN_DOUBT rows, from the emulator and the report. */
    static void exactlyOnce(Path dir, int rows, int targets, String[] keys, CustomVisionEmulator emulator)
            throws IOException {
        int duplicates = 0;
        int imported = 0;
        for (int i = 0; i < rows; i++) {
            int made = emulator.importsOf(keys[i % targets], token(i));
            imported += Math.min(made, 1);
            duplicates += Math.max(0, made - 1);
        }
        List<String> report;
        try (Stream<Path> reports = Files.list(dir.resolve("reports"))) {
            report = Files.readAllLines(reports.findFirst().orElseThrow());
        }
        long withOutcome = report.stream().skip(1).filter(l -> !l.split(",", 3)[1].isEmpty()).count();
        long inDoubt = report.stream().filter(l -> l.contains(",IN_DOUBT,")).count();
        long succeeded = report.stream().filter(l -> l.contains(",SUCCEEDED,")).count();
        System.out.printf(Locale.ROOT, "  exactly once       %d answers lost on purpose; %d tokens imported, %d duplicate"
                + " imports, %d of %d rows with an outcome, %d SUCCEEDED, %d IN_DOUBT%n", emulator.lostAnswers(),
                imported, duplicates, withOutcome, rows, succeeded, inDoubt);
    }

    static void noCalls(int rows) throws Exception {
        Path dir = Files.createTempDirectory("cvimport-bench");
        Path input = dir.resolve("invalid.csv");
        try (var out = Files.newBufferedWriter(input, StandardCharsets.UTF_8)) {
            out.write("token,region,key,tenant\n");
            for (int i = 0; i < rows; i++) {
                out.write("\"" + token(i) + "\",atlantis,0123456789abcdef0123456789abcdef,tenant-" + (i % 100) + "\n");
            }
        }
        Result run = runJar(dir, input, "-Xmx256m", "--customvision.endpoint=http://127.0.0.1:9");
        long reportRows;
        try (Stream<Path> reports = Files.list(dir.resolve("reports"))) {
            Path report = reports.findFirst().orElseThrow();
            try (Stream<String> reportLines = Files.lines(report)) {
                reportRows = reportLines.count() - 1;
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "workload no-calls: %d rows that need no API call (unknown region), -Xmx256m%n",
                rows);
        System.out.printf(Locale.ROOT, "  exit code          %d%n", run.exitCode());
        System.out.printf(Locale.ROOT, "  wall time          %.1f s (JVM start included)%n", run.seconds());
        System.out.printf(Locale.ROOT, "  rows per second    %.0f%n", rows / run.seconds());
        System.out.printf(Locale.ROOT, "  report rows        %d%n", reportRows);
        System.out.printf(Locale.ROOT, "  peak RSS           %d MB%n", run.peakRssKb() / 1024);
        System.out.printf(Locale.ROOT, "  CPU of the job     %.1f s (user and system, start included)%n", run.cpuSeconds());
    }

    record Result(int exitCode, double seconds, long peakRssKb, double cpuSeconds, String summaryLine) {
    }

    /** Extra options for the jar, from the environment: {@code BENCH_JAR_OPTIONS="--a=1;--b=2"}. */
    static final List<String> jarOptions = System.getenv("BENCH_JAR_OPTIONS") == null ? List.of()
            : Arrays.asList(System.getenv("BENCH_JAR_OPTIONS").split(";"));

    static Result runJar(Path dir, Path input, String heap, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                heap, "-jar", JAR.toString(), "--input=" + input,
                "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("data/repository") + ";AUTO_SERVER=TRUE"));
        command.addAll(Arrays.asList(options));
        command.addAll(jarOptions);
        Path log = dir.resolve("run.log");
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        long peak = 0;
        long cpuTicks = 0;
        while (!process.waitFor(100, TimeUnit.MILLISECONDS)) {
            peak = Math.max(peak, rssKb(process.pid()));
            cpuTicks = Math.max(cpuTicks, cpuTicks(process.pid()));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String output = Files.readString(log);
        String summary = output.lines().filter(l -> l.startsWith("  api:")).findFirst().orElse("").trim();
        if (process.exitValue() != 0 && process.exitValue() != 3) {
            System.out.println(output);
        }
        return new Result(process.exitValue(), seconds, peak, cpuTicks / 100.0, summary);
    }

    /** User and system CPU time of a live process so far, in clock ticks (1/100 s), from /proc. */
    private static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        }
        catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    /** Resident set high-water mark of a live process, from /proc. */
    private static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        }
        catch (IOException | NumberFormatException gone) {
            // the process ended between two looks
        }
        return 0;
    }

    /** Row {@code i} goes to target {@code i % targets}, whatever the shape. */
    private static String line(int i, int targets, String[] keys) {
        return "\"" + token(i) + "\",westus2," + keys[i % targets] + ",tenant-" + i % targets;
    }

    static String token(int i) {
        return "https://cvexports.blob.core.windows.net/exports/project-" + i
                + ".zip?sv=2021-08-06&se=2099-01-01T00%3A00%3A00Z&sr=b&sp=r&sig=bench" + i + "%2Babc%3D";
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new java.util.HashMap<>();
        for (String arg : args) {
            if (arg.startsWith("--") && arg.contains("=")) {
                options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            }
        }
        return options;
    }

}
