package io.cvimport.bench;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.cvimport.emulator.CustomVisionEmulator;
import io.cvimport.support.Postgres;

/**
 * The job's own cost: the empty input's run (start to exit), then each shape
 * ({@code rows/targets}) against the emulator configured like the service (10 calls/s per
 * key answering 429 beyond, 20 ms per call, imports taking 2 to 3 s), then the same input
 * run again {@code --reruns} times (a finished input). For each it prints wall time, the
 * rate bound, the job process's CPU (user and system, from the kernel's accounting of the
 * finished process) in total and per row with the empty run's subtracted, calls per row,
 * 429s, the H2 file's size after, peak RSS, and the CPU the emulator (this JVM) used.
 * <p>
 * The empty runs go twice: {@code java -jar} as it is, then through jobs/customvision-import.sh
 * (its start-up archive, made by its first run, and its JVM options).
 * <p>
 * {@code bench/run.sh --workload=engine-cost [--shapes=4000/20,10000/1000] [--reruns=1]
 * [--empty-runs=3] [--heap=256m] [--repository=h2|postgres]} ({@code --shapes=}: the empty runs
 * alone): the job repository an H2 file (the default) or a database of its own on an embedded
 * PostgreSQL that this JVM starts (the job's process is measured as before; the server's CPU
 * is not in it); {@code BENCH_JVM_OPTIONS="-XX:...;-XX:..."} adds options to the job's JVM (a
 * flight recording, say), {@code BENCH_JAR_OPTIONS} to the job.
 */
final class EngineCostBenchmark {

    private static final int RATE = 10;
    private static final Duration IMPORT_MIN = Duration.ofSeconds(2);
    private static final Duration IMPORT_JITTER = Duration.ofSeconds(1);
    private static final Duration LATENCY = Duration.ofMillis(20);
    private static final String HEADER = "token,region,key,tenant";

    private final String heap;
    private final int reruns;
    private final int emptyRuns;
    private final boolean postgres;
    /** The PostgreSQL database of each run's folder (a new repository for each, as a new H2 file is). */
    private final Map<Path, String> databases = new HashMap<>();

    private EngineCostBenchmark(String heap, int reruns, int emptyRuns, String repository) {
        this.heap = heap;
        this.reruns = reruns;
        this.emptyRuns = emptyRuns;
        this.postgres = switch (repository) {
            case "h2" -> false;
            case "postgres" -> true;
            default -> throw new IllegalArgumentException("--repository=h2 or --repository=postgres, not " + repository);
        };
    }

    static void run(Map<String, String> options) throws Exception {
        EngineCostBenchmark bench = new EngineCostBenchmark(options.getOrDefault("heap", "256m"),
                Integer.parseInt(options.getOrDefault("reruns", "1")),
                Integer.parseInt(options.getOrDefault("empty-runs", "3")), options.getOrDefault("repository", "h2"));
        ProcessFigures empty = bench.emptyRuns();
        bench.launcherEmptyRuns();
        for (String shape : options.getOrDefault("shapes", "4000/20,10000/1000").split(",")) {
            if (shape.isBlank()) {
                continue; // --shapes= : the empty runs alone
            }
            String[] parts = shape.split("/");
            bench.shape(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), empty);
        }
    }

    /** The median of a few runs of a header-only input, each on a new repository, then on the last one again. */
    private ProcessFigures emptyRuns() throws Exception {
        List<ProcessFigures> fresh = new ArrayList<>();
        List<ProcessFigures> again = new ArrayList<>();
        for (int i = 0; i < emptyRuns; i++) {
            Path dir = Files.createTempDirectory("cvimport-empty");
            Path input = dir.resolve("empty.csv");
            Files.writeString(input, HEADER + "\n");
            fresh.add(runJob(dir, input, "--customvision.endpoint=http://127.0.0.1:9"));
            again.add(runJob(dir, input, "--customvision.endpoint=http://127.0.0.1:9"));
        }
        ProcessFigures first = ProcessFigures.median(fresh);
        ProcessFigures second = ProcessFigures.median(again);
        System.out.println();
        System.out.printf(Locale.ROOT, "empty input (header only), median of %d, %s%n", emptyRuns, jvmOptions());
        System.out.printf(Locale.ROOT, "  new repository     %s%n", first.line());
        System.out.printf(Locale.ROOT, "  existing one       %s%n", second.line());
        return first;
    }

    /**
     * The same empty runs through jobs/customvision-import.sh, as cron and systemd start the
     * job: its first run of this jar makes the start-up archive (printed apart), later ones use it.
     */
    private void launcherEmptyRuns() throws Exception {
        Path cache = Files.createTempDirectory("cvimport-start-archive");
        Path first = Files.createTempDirectory("cvimport-empty");
        ProcessFigures making = runLauncher(first, cache, Files.writeString(first.resolve("empty.csv"), HEADER + "\n"));
        List<ProcessFigures> fresh = new ArrayList<>();
        List<ProcessFigures> again = new ArrayList<>();
        for (int i = 0; i < emptyRuns; i++) {
            Path dir = Files.createTempDirectory("cvimport-empty");
            Path input = Files.writeString(dir.resolve("empty.csv"), HEADER + "\n");
            fresh.add(runLauncher(dir, cache, input));
            again.add(runLauncher(dir, cache, input));
        }
        System.out.printf(Locale.ROOT, "empty input through the launcher (its start-up archive), median of %d%n",
                emptyRuns);
        System.out.printf(Locale.ROOT, "  archive made       %s%n", making.line());
        System.out.printf(Locale.ROOT, "  new repository     %s%n", ProcessFigures.median(fresh).line());
        System.out.printf(Locale.ROOT, "  existing one       %s%n", ProcessFigures.median(again).line());
    }

    private ProcessFigures runLauncher(Path dir, Path cache, Path input) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", Path.of("jobs/customvision-import.sh").toAbsolutePath()
                .toString(), input.toString(), "--customvision.endpoint=http://127.0.0.1:9"));
        command.addAll(repository(dir));
        command.addAll(Benchmark.jarOptions);
        List<String> javaOptions = new ArrayList<>(List.of("-Xmx" + heap));
        javaOptions.addAll(jvmOptionList());
        return ProcessFigures.of(command, dir, Map.of("HOME", dir.toString(), "CVIMPORT_HOME", dir.toString(),
                "CVIMPORT_JAR", Path.of("target/customvision-import.jar").toAbsolutePath().toString(),
                "CVIMPORT_ENV", dir.resolve("none.env").toString(), "CVIMPORT_LOG", "/dev/stdout",
                "CVIMPORT_CACHE", cache.toString(), "JAVA", Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(), "JAVA_OPTS", String.join(" ", javaOptions)));
    }

    private void shape(int rows, int targets, ProcessFigures empty) throws Exception {
        String[] keys = new String[targets];
        for (int t = 0; t < targets; t++) {
            keys[t] = String.format("%032x", 0xbe0000L + t);
        }
        Path dir = Files.createTempDirectory("cvimport-cost");
        Path input = dir.resolve("bench.csv");
        List<String> lines = new ArrayList<>(List.of(HEADER));
        for (int t = 0; t < targets; t++) {
            for (int i = t; i < rows; i += targets) {
                lines.add("\"" + Benchmark.token(i) + "\",westus2," + keys[i % targets] + ",tenant-" + t);
            }
        }
        Files.write(input, lines);
        double bound = (double) ((rows + targets - 1) / targets) / RATE + IMPORT_MIN.plus(IMPORT_JITTER).toMillis() / 1000.0;
        System.out.println();
        System.out.printf(Locale.ROOT, "shape %d rows / %d targets (grouped) at %d calls/s each, imports %d-%d s, %d ms"
                + " per call, -Xmx%s, %s%n", rows, targets, RATE, IMPORT_MIN.toSeconds(),
                IMPORT_MIN.plus(IMPORT_JITTER).toSeconds(), LATENCY.toMillis(), heap, jvmOptions());
        System.out.printf(Locale.ROOT, "  rate bound         %.1f s (max rows per target / rate + slowest import);"
                + " + empty run %.1f s = %.1f s%n", bound, empty.wallSeconds(), bound + empty.wallSeconds());
        try (CustomVisionEmulator emulator = new CustomVisionEmulator().key(keys).ratePerSecond(RATE)
                .importDelay(IMPORT_MIN, IMPORT_JITTER).latency(LATENCY)) {
            String endpoint = "--customvision.endpoint=" + emulator.endpoint();
            for (int run = 0; run <= reruns; run++) {
                long callsBefore = emulator.calls();
                long throttledBefore = emulator.throttled();
                Duration emulatorBefore = ownCpu();
                ProcessFigures figures = runJob(dir, input, endpoint, "--import.rate-per-target=" + RATE);
                double emulatorCpu = ownCpu().minus(emulatorBefore).toMillis() / 1000.0;
                long calls = emulator.calls() - callsBefore;
                long throttled = emulator.throttled() - throttledBefore;
                System.out.printf(Locale.ROOT, "  %-18s %s%n", run == 0 ? "run" : "again (" + run + ")", figures.line());
                System.out.printf(Locale.ROOT, "  %-18s job CPU per row %.2f ms (empty run's %.1f s subtracted); %.3f"
                        + " calls per row (%d), 429s %.2f %% (%d); %s %.1f MB; emulator's CPU %.1f s%n", "",
                        1000 * (figures.cpuSeconds() - empty.cpuSeconds()) / rows, empty.cpuSeconds(),
                        (double) calls / rows, calls, 100.0 * throttled / Math.max(1, calls), throttled,
                        postgres ? "PostgreSQL database" : "H2 file",
                        repositoryBytes(dir) / 1e6, emulatorCpu);
                if (run == 0) {
                    Benchmark.exactlyOnce(dir, rows, targets, keys, emulator);
                    listings(emulator, keys);
                }
            }
        }
    }

    /**
     * How many listings each target had, and when the first target's were made, in ms after its
     * first import (I: an import, L: a listing): where calls per row above 1 go.
     */
    private static void listings(CustomVisionEmulator emulator, String[] keys) {
        Map<Integer, Integer> perTarget = new java.util.TreeMap<>();
        for (String key : keys) {
            perTarget.merge(emulator.listedAt(key).size(), 1, Integer::sum);
        }
        System.out.printf(Locale.ROOT, "  %-18s %s%n", "listings/target", perTarget.entrySet().stream()
                .map(e -> e.getKey() + " on " + e.getValue()).collect(java.util.stream.Collectors.joining(", ")));
        String key = keys[keys.length / 2];
        List<Long> imports = emulator.importedAt(key);
        if (imports.isEmpty()) {
            return;
        }
        long start = imports.get(0);
        java.util.TreeMap<Long, String> events = new java.util.TreeMap<>();
        imports.forEach(at -> events.merge((at - start) / 1_000_000, "I", String::concat));
        emulator.listedAt(key).forEach(at -> events.merge((at - start) / 1_000_000, "L", String::concat));
        System.out.printf(Locale.ROOT, "  %-18s %s%n", "one target (ms)", events.entrySet().stream()
                .map(e -> e.getValue() + e.getKey()).collect(java.util.stream.Collectors.joining(" ")));
    }

    private ProcessFigures runJob(Path dir, Path input, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx" + heap));
        command.addAll(jvmOptionList());
        command.addAll(List.of("-jar", Path.of("target/customvision-import.jar").toAbsolutePath().toString(),
                "--input=" + input));
        command.addAll(repository(dir));
        command.addAll(Arrays.asList(options));
        command.addAll(Benchmark.jarOptions);
        return ProcessFigures.of(command, dir);
    }

    /** The job's repository for the runs in this folder. */
    private List<String> repository(Path dir) {
        if (!postgres) {
            return List.of("--spring.datasource.url=jdbc:h2:file:" + dir.resolve("data/repository") + ";AUTO_SERVER=TRUE");
        }
        String url = Postgres.url(databases.computeIfAbsent(dir, d -> "bench" + (databases.size() + 1)));
        return List.of("--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
                "--spring.datasource.password=postgres");
    }

    private long repositoryBytes(Path dir) throws Exception {
        if (!postgres) {
            return Files.size(dir.resolve("data/repository.mv.db"));
        }
        try (Connection connection = DriverManager.getConnection(Postgres.url(databases.get(dir)), "postgres", "postgres");
                ResultSet size = connection.createStatement().executeQuery("SELECT pg_database_size(current_database())")) {
            size.next();
            return size.getLong(1);
        }
    }

    private static List<String> jvmOptionList() {
        String options = System.getenv("BENCH_JVM_OPTIONS");
        return options == null || options.isBlank() ? List.of() : Arrays.asList(options.split(";"));
    }

    private static String jvmOptions() {
        return jvmOptionList().isEmpty() ? "default JVM options" : "JVM options " + String.join(" ", jvmOptionList());
    }

    private static Duration ownCpu() {
        return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
    }
}
