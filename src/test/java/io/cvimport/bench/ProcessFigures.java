package io.cvimport.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One finished process's figures as the kernel accounted them ({@code /usr/bin/time}: wall,
 * user and system CPU, peak resident memory of the process), with its exit code and the
 * summary's {@code api:} line. Without {@code /usr/bin/time}: wall time only (CPU and RSS 0).
 */
record ProcessFigures(int exitCode, double wallSeconds, double cpuSeconds, long peakRssKb, String summary) {

    private static final Path TIME = Path.of("/usr/bin/time");
    private static int runs;

    static ProcessFigures of(List<String> command, Path dir) throws Exception {
        return of(command, dir, Map.of());
    }

    /** With variables added to the environment the command inherits. */
    static ProcessFigures of(List<String> command, Path dir, Map<String, String> environment) throws Exception {
        int run = ++runs;
        Path log = dir.resolve("run-" + run + ".log");
        Path accounting = dir.resolve("run-" + run + ".time");
        List<String> measured = new ArrayList<>();
        if (Files.isExecutable(TIME)) {
            measured.addAll(List.of(TIME.toString(), "-f", "%e %U %S %M", "-o", accounting.toString()));
        }
        measured.addAll(command);
        long start = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(measured).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        int exit = process.waitFor();
        double wall = (System.nanoTime() - start) / 1e9;
        String output = Files.readString(log);
        if (exit != 0 && exit != 3) {
            System.out.println(output);
        }
        String summary = output.lines().filter(l -> l.startsWith("  api:")).findFirst().orElse("").trim();
        if (!Files.exists(accounting)) {
            return new ProcessFigures(exit, wall, 0, 0, summary);
        }
        List<String> lines = Files.readAllLines(accounting);
        String[] kernel = lines.get(lines.size() - 1).trim().split(" ");
        return new ProcessFigures(exit, Double.parseDouble(kernel[0]),
                Double.parseDouble(kernel[1]) + Double.parseDouble(kernel[2]), Long.parseLong(kernel[3]), summary);
    }

    /** Each figure's median over the runs, apart. */
    static ProcessFigures median(List<ProcessFigures> runs) {
        return new ProcessFigures(runs.get(0).exitCode(), middle(runs, ProcessFigures::wallSeconds),
                middle(runs, ProcessFigures::cpuSeconds), (long) middle(runs, f -> (double) f.peakRssKb()), "");
    }

    private static double middle(List<ProcessFigures> runs, java.util.function.ToDoubleFunction<ProcessFigures> figure) {
        List<ProcessFigures> sorted = new ArrayList<>(runs);
        sorted.sort(Comparator.comparingDouble(figure));
        return figure.applyAsDouble(sorted.get(sorted.size() / 2));
    }

    String line() {
        return String.format(Locale.ROOT, "exit %d, wall %.2f s, job CPU %.2f s (user + sys), peak RSS %d MB%s",
                exitCode, wallSeconds, cpuSeconds, peakRssKb / 1024, summary.isEmpty() ? "" : "; " + summary);
    }
}
