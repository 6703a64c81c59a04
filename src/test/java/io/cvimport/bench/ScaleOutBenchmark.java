package io.cvimport.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.cvimport.emulator.CustomVisionEmulator;
import io.cvimport.support.InMemoryBroker;
import io.cvimport.support.Postgres;

/**
 * Issue 12's figures: the same rows over the same targets, at the same per-target budget,
 * on an embedded PostgreSQL, by one process and by a manager with two workers, the manager
 * hosting the broker or a broker already running; each with its wall time and the CPU time
 * of its JVMs (a worker's start, before the manager's, left out); then, with an idle third
 * worker, the time from a busy worker's kill -9 to its partition running again. No
 * assertion: figures to read ({@code --workload=scale-out}).
 */
final class ScaleOutBenchmark {

    private static final Path JAR = Path.of("target/customvision-import.jar").toAbsolutePath();
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    private static final String STARTED = "over every partition; this is partition";

    private final int rows;
    private final int targets;
    private final int rate;
    private final String[] keys;
    private int databases;

    ScaleOutBenchmark(int rows, int targets, int rate) {
        this.rows = rows;
        this.targets = targets;
        this.rate = rate;
        this.keys = new String[targets];
        for (int t = 0; t < targets; t++) {
            keys[t] = String.format("%032x", 0x5ca1e0L + t);
        }
    }

    /**
     * @param repeat times the two runs are measured, one after the other
     * @param kill   whether the run with a worker killed follows
     */
    void run(int repeat, boolean kill) throws Exception {
        System.out.printf(Locale.ROOT, "%nworkload scale-out: %d rows over %d targets at %d calls/s each, imports 1-1.5 s,"
                + " embedded PostgreSQL%n", rows, targets, rate);
        for (int r = 0; r < repeat; r++) {
            double single = timed("one process", 0, Broker.NONE, false);
            double hosting = timed("manager hosting the broker + 2 workers", 2, Broker.MANAGER, false);
            double running = timed("manager + 2 workers + a running broker", 2, Broker.RUNNING, false);
            System.out.printf(Locale.ROOT, "  ratios             %.2f with the manager hosting the broker, %.2f with a"
                    + " broker running (target: distributed <= 1.15 x one process)%n", hosting / single,
                    running / single);
        }
        if (kill) {
            timed("manager + 3 workers, 1 killed", 3, Broker.MANAGER, true);
        }
    }

    /** Where the partitions' broker runs. */
    private enum Broker {
        /** One process, no broker. */
        NONE,
        /** {@code --scale.broker=embedded}: the manager's command starts it. */
        MANAGER,
        /** Up before the manager's command, as the workers are (an Artemis Deployment): here, in this JVM. */
        RUNNING
    }

    /** One run from a fresh database; returns the manager's (or the single process's) wall time. */
    private double timed(String label, int workers, Broker broker, boolean killOne) throws Exception {
        Path dir = Files.createTempDirectory("cvimport-scale");
        Path input = dir.resolve("rows.csv");
        List<String> lines = new ArrayList<>(List.of("token,region,key"));
        for (int i = 0; i < rows; i++) {
            lines.add("\"" + Benchmark.token(i) + "\",westus2," + keys[i % targets]);
        }
        Files.write(input, lines);
        String database = "scale_bench_" + (++databases) + "_" + ProcessHandle.current().pid();
        List<Process> processes = new ArrayList<>();
        double cpuBefore = childrenCpuSeconds();
        int port = freePort();
        try (CustomVisionEmulator emulator = new CustomVisionEmulator().key(keys).ratePerSecond(rate)
                .importDelay(Duration.ofMillis(1000), Duration.ofMillis(500));
                AutoCloseable running = broker == Broker.RUNNING ? broker(port) : () -> { }) {
            List<String> common = List.of("--customvision.endpoint=" + emulator.endpoint(),
                    "--import.rate-per-target=" + rate, "--spring.datasource.url=" + Postgres.url(database),
                    "--spring.datasource.username=postgres", "--spring.datasource.password=postgres");
            List<String> managerArgs = new ArrayList<>(common);
            managerArgs.add("--input=" + input);
            if (broker == Broker.MANAGER) {
                managerArgs.addAll(List.of("--scale.role=manager", "--import.partitions=2", "--scale.broker=embedded",
                        "--scale.broker-port=" + port));
            }
            else if (broker == Broker.RUNNING) {
                managerArgs.addAll(List.of("--scale.role=manager", "--import.partitions=2",
                        "--spring.artemis.broker-url=tcp://127.0.0.1:" + port));
            }
            // Workers are long-lived (a Deployment): up and waiting before the manager's command starts.
            List<Path> workerLogs = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                List<String> args = new ArrayList<>(common);
                args.addAll(List.of("--scale.role=worker", "--spring.artemis.broker-url=tcp://127.0.0.1:" + port));
                workerLogs.add(dir.resolve("worker-" + w + ".log"));
                processes.add(start(dir, "worker-" + w, args));
            }
            for (Path log : workerLogs) {
                while (count(log, "worker: waiting for import partitions") == 0) {
                    Thread.sleep(100);
                }
            }
            double workersBefore = cpuSeconds(processes);
            long start = System.nanoTime();
            Process manager = start(dir, "manager", managerArgs);
            processes.add(0, manager);
            String takeover = "";
            if (killOne) {
                takeover = killBusyWorker(processes, workerLogs);
            }
            boolean ended = manager.waitFor(30, TimeUnit.MINUTES);
            double seconds = (System.nanoTime() - start) / 1e9;
            double managerCpu = childrenCpuSeconds() - cpuBefore;
            double workersCpu = cpuSeconds(processes.subList(1, processes.size())) - workersBefore;
            for (Process process : processes) {
                process.destroyForcibly().waitFor();
            }
            int duplicates = 0;
            for (int i = 0; i < rows; i++) {
                duplicates += Math.max(0, emulator.importsOf(keys[i % targets], Benchmark.token(i)) - 1);
            }
            System.out.printf(Locale.ROOT, "  %-38s exit %s, wall %.1f s (its JVM start included), CPU %.1f s (%s),"
                    + " %d imports, %d duplicate imports, %d calls%s%n", label,
                    ended ? manager.exitValue() : "(timed out)", seconds, managerCpu + workersCpu, workers == 0
                            ? "its JVM" : killOne ? "the killed worker's in the manager's" : String.format(Locale.ROOT, "manager %.1f s, workers %.1f s from the manager's"
                                    + " start", managerCpu, workersCpu),
                    emulator.imports(), duplicates, emulator.calls(), takeover);
            return seconds;
        }
        finally {
            for (Process process : processes) {
                process.destroyForcibly();
            }
        }
    }

    /** Kills a worker that runs a partition once both partitions run; says how long its partition took to run again. */
    private static String killBusyWorker(List<Process> processes, List<Path> logs) throws Exception {
        int busy = -1;
        int idle = -1;
        while (busy < 0 || idle < 0) {
            Thread.sleep(200);
            int running = 0;
            for (int w = 0; w < logs.size(); w++) {
                if (count(logs.get(w), "rows settled by this partition's engine") > 0) {
                    running++;
                    busy = busy < 0 ? w : busy;
                }
                else {
                    idle = w;
                }
            }
            if (running < 2) {
                busy = -1;
                idle = -1;
            }
        }
        long killed = System.nanoTime();
        processes.get(busy + 1).destroyForcibly();
        long[] before = new long[logs.size()];
        for (int w = 0; w < logs.size(); w++) {
            before[w] = count(logs.get(w), STARTED);
        }
        long deadline = killed + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            for (int w = 0; w < logs.size(); w++) {
                if (w != busy && count(logs.get(w), STARTED) > before[w]) {
                    return String.format(Locale.ROOT, "; the killed worker's partition ran again on worker %d %.1f s"
                            + " after kill -9", w, (System.nanoTime() - killed) / 1e9);
                }
            }
            Thread.sleep(100);
        }
        return "; the killed worker's partition did not run again within 5 minutes";
    }

    /** A broker in this JVM (the emulator's), as the manager's embedded one is configured. */
    private static AutoCloseable broker(int port) throws Exception {
        // Its audit log (a line per message) would cost this JVM, the emulator's, CPU the runs measured share.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.activemq"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        return InMemoryBroker.start(port)::stop;
    }

    /** CPU time of running processes. */
    private static double cpuSeconds(List<Process> processes) {
        return processes.stream().mapToDouble(process -> process.info().totalCpuDuration().orElse(Duration.ZERO).toMillis())
                .sum() / 1000;
    }

    /** CPU time of this process's ended children (Linux: cutime and cstime of /proc/self/stat). */
    private static double childrenCpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // Fields 16 and 17 of stat(5), counted here from field 3, in clock ticks (USER_HZ, 100 on Linux).
        return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) / 100.0;
    }

    private static long count(Path log, String text) throws IOException {
        return Files.exists(log) ? Files.readAllLines(log).stream().filter(line -> line.contains(text)).count() : 0;
    }

    private static Process start(Path dir, String name, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(JAVA.toString(), "-jar", JAR.toString()));
        command.addAll(args);
        return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile()).start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
