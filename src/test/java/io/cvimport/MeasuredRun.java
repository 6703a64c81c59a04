package io.cvimport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged jar run once as a child process under {@code -Xmx256m} (or a heap given): as typed
 * ({@code java -jar}, the JVM's defaults), or as {@link JarProcess} starts it. Stdout and
 * stderr kept apart, timed from the JVM's start, and its peak resident memory sampled
 * from {@code /proc/<pid>/status} (VmHWM) while it runs.
 */
final class MeasuredRun {

    private static final Path JAR = Path.of(System.getProperty("jar.path", "target/customvision-import.jar"))
            .toAbsolutePath();
    private static final Duration LIMIT = Duration.ofMinutes(3);
    private static int runs;

    record Result(int exitCode, String out, String err, Duration took, long peakRssKb) {

        String figures() {
            return String.format("exit %d in %.1f s, peak RSS %d MB", exitCode, took.toMillis() / 1000.0,
                    peakRssKb / 1024);
        }
    }

    private MeasuredRun() {
    }

    /**
     * The jar as {@link JarProcess} starts it (extracted, with its class-data archive, C1 and the
     * serial collector: a third of a default start's CPU), under {@code -Xmx256m}: for what the
     * job does with its input, where how the JVM was started is not the point.
     */
    static Result run(Path workDir, List<String> args) throws Exception {
        return measure(workDir, JarProcess.javaJar(), args, null);
    }

    /** The same under a heap of {@code maxHeap} ({@code -Xmx}), to show what fits in how little. */
    static Result run(Path workDir, String maxHeap, List<String> args) throws Exception {
        List<String> command = JarProcess.javaJar();
        // The last -Xmx on the command line is the one the JVM takes.
        command.add(command.indexOf("-jar"), "-Xmx" + maxHeap);
        return measure(workDir, command, args, null);
    }

    /**
     * With options for the JVM before {@code -jar}, and an environment of its own: the inherited one without
     * the variables that place the job repository ({@code HOME}, {@code XDG_STATE_HOME},
     * {@code CVIMPORT_REPOSITORY}), plus {@code environment}; null keeps the inherited one whole.
     */
    static Result run(Path workDir, List<String> jvmOptions, List<String> args,
            java.util.@org.jspecify.annotations.Nullable Map<String, String> environment) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", JAR.toString()));
        return measure(workDir, command, args, environment);
    }

    /** The {@code java ... -jar JAR} command given whole, then the job's arguments. */
    private static Result measure(Path workDir, List<String> javaJar, List<String> args,
            java.util.@org.jspecify.annotations.Nullable Map<String, String> environment) throws Exception {
        List<String> command = new ArrayList<>(javaJar);
        command.addAll(args);
        int run = ++runs;
        Path out = workDir.resolve("measured-" + run + ".out");
        Path err = workDir.resolve("measured-" + run + ".err");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile());
        if (environment != null) {
            builder.environment().keySet().removeAll(List.of("HOME", "XDG_STATE_HOME", "CVIMPORT_REPOSITORY"));
            builder.environment().putAll(environment);
        }
        long start = System.nanoTime();
        Process process = builder.start();
        long peak = 0;
        while (!process.waitFor(20, TimeUnit.MILLISECONDS)) {
            peak = Math.max(peak, peakRssKb(process.pid()));
            if (System.nanoTime() - start > LIMIT.toNanos()) {
                process.destroyForcibly();
                throw new IllegalStateException("the job did not end within " + LIMIT.toSeconds() + " s");
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8), took, peak);
    }

    /** VmHWM: the highest resident set the process has had so far; 0 once it is gone. */
    private static long peakRssKb(long pid) {
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
}
