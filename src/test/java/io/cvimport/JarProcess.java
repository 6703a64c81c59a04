package io.cvimport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The packaged jar run as a child process, as cron would run it, in a working folder of its own. */
public final class JarProcess {

    private static final Path JAR = Path.of(System.getProperty("jar.path", "target/customvision-import.jar"))
            .toAbsolutePath();
    /**
     * Options every child JVM gets besides its heap. A run of the job is short: the C1
     * compiler alone starts it with about half the CPU that tiered compilation spends (C2
     * compiles code the run ends before using), and the serial collector spares a small heap
     * the parallel GC's threads. Neither changes what the job does; both matter on a 2-core
     * CI machine that starts the jar over a hundred times.
     */
    static final List<String> FAST_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    /**
     * Job options for a test whose emulator answers within seconds. A run killed with an import
     * on the wire leaves a row whose project may still appear until the request's lifetime (the
     * connect timeout plus twice the response timeout) has passed, and the next run waits that
     * long before the project list decides: 130 s with the defaults, 32 s with these. What is
     * decided, and how, stays the same.
     */
    public static final List<String> PROMPT_SERVICE_TIMEOUTS = List.of("--customvision.connect-timeout=2s",
            "--customvision.response-timeout=15s");

    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    private static int runs;

    private final Process process;
    private final Path output;

    private JarProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    public static JarProcess start(Path workDir, List<String> args) throws IOException {
        return start(workDir, args, java.util.Map.of());
    }

    public static JarProcess start(Path workDir, List<String> args, java.util.Map<String, String> environment)
            throws IOException {
        return start(workDir, List.of(), args, environment);
    }

    /** With options for the JVM itself (system properties such as a trust store), before {@code -jar}. */
    public static JarProcess start(Path workDir, List<String> jvmOptions, List<String> args,
            java.util.Map<String, String> environment) throws IOException {
        List<String> command = javaJar();
        command.addAll(command.indexOf("-jar"), jvmOptions);
        command.addAll(args);
        Path output = workDir.resolve("run-" + (++runs) + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        isolate(builder.environment(), workDir);
        builder.environment().putAll(environment);
        Process process = builder.start();
        return new JarProcess(process, output);
    }

    /**
     * {@code java}, its heap, {@link #FAST_START}, the start-up's class-data archive, and the
     * jar ({@link ClassDataArchive}): the command of every child JVM of the jar, before its arguments.
     */
    static List<String> javaJar() {
        ClassDataArchive.Start start = ClassDataArchive.of(JAVA, JAR);
        List<String> command = new ArrayList<>(List.of(JAVA.toString(), "-Xmx256m"));
        command.addAll(FAST_START);
        command.addAll(start.options());
        command.addAll(List.of("-jar", start.jar().toString()));
        return command;
    }

    /**
     * The default job repository is per user: a child gets a HOME of its own inside its working
     * folder, and none of the variables that would move it elsewhere, unless the test gives them.
     */
    private static void isolate(java.util.Map<String, String> environment, Path workDir) throws IOException {
        Path home = Files.createDirectories(workDir.resolve("home"));
        environment.put("HOME", home.toString());
        environment.remove("XDG_STATE_HOME");
        environment.remove("CVIMPORT_REPOSITORY");
    }

    /** What a script sees of a run: its exit code, and its stdout and stderr apart. */
    public record Streams(int exitCode, String stdout, String stderr) {
    }

    /** Runs to the end with stdout and stderr kept apart, as a script that pipes stdout reads them. */
    public static Streams runApart(Path workDir, List<String> args, java.util.Map<String, String> environment)
            throws Exception {
        List<String> command = javaJar();
        command.addAll(args);
        int run = ++runs;
        Path out = workDir.resolve("run-" + run + ".out");
        Path err = workDir.resolve("run-" + run + ".err");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        isolate(builder.environment(), workDir);
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the job did not end within 180 s");
        }
        // run-N.log, as lastOutput reads it: both streams.
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        Files.writeString(workDir.resolve("run-" + run + ".log"), stdout + stderr);
        return new Streams(process.exitValue(), stdout, stderr);
    }

    /**
     * Runs to the end under a pseudo-terminal ({@code script} of util-linux), as a person at a
     * terminal runs it: stdin and stdout are the terminal, stderr too. The stdout of the
     * returned streams is everything the terminal received, escape sequences included.
     */
    public static Streams runOnTerminal(Path workDir, List<String> args, java.util.Map<String, String> environment)
            throws Exception {
        JarProcess process = startOnTerminal(workDir, args, environment);
        int code = process.waitFor(180);
        return new Streams(code, process.output(), "");
    }

    /** Starts the jar under a pseudo-terminal (see {@link #runOnTerminal}); {@link #output()} is the terminal's. */
    public static JarProcess startOnTerminal(Path workDir, List<String> args, java.util.Map<String, String> environment)
            throws IOException {
        List<String> command = javaJar();
        command.addAll(args);
        Path out = workDir.resolve("run-" + (++runs) + ".log");
        // script runs the command through a shell: every argument of these tests is free of quotes and spaces.
        ProcessBuilder builder = new ProcessBuilder("script", "-q", "-e", "-c", String.join(" ", command), "/dev/null")
                .directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        isolate(builder.environment(), workDir);
        builder.environment().putAll(environment);
        return new JarProcess(builder.start(), out);
    }

    /** Sends a signal to the JVM this process runs (itself, or the one under {@code script}), as Ctrl-C sends SIGINT. */
    public void signalJvm(String name) throws IOException, InterruptedException {
        long pid = process.descendants().filter(child -> child.info().command().orElse("").endsWith("/java"))
                .map(ProcessHandle::pid).findFirst().orElse(process.pid());
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + name + " failed");
        }
    }

    /** Runs to the end and returns the exit code. */
    public static int run(Path workDir, List<String> args) throws Exception {
        JarProcess process = start(workDir, args);
        return process.waitFor(180);
    }

    public int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the job did not end within " + seconds + " s; output:\n" + output());
        }
        return process.exitValue();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: nothing runs after it. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, as cron, systemd and Kubernetes stop jobs. */
    public void terminate() {
        process.destroy();
    }

    /** SIGSTOP: the process freezes where it is (a paused VM, Ctrl-Z) until {@link #resume()}. */
    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT. */
    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + name + " failed");
        }
    }

    public String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    public static String lastOutput(Path workDir) throws IOException {
        return Files.readString(workDir.resolve("run-" + runs + ".log"), StandardCharsets.UTF_8);
    }
}
