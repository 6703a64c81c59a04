package io.cvimport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cvimport.emulator.CustomVisionEmulator;

/** jobs/customvision-import.sh as cron runs it: keys from an environment file, a log appended, exit codes passed. */
class LauncherScriptIT {

    static final String KEY = "5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c";

    /** One start-up archive for this class's runs of the built jar: made by the first, used by the others. */
    private static final Path CACHE = startArchiveCache();

    @TempDir
    Path home;

    private static Path startArchiveCache() {
        try {
            return Files.createTempDirectory("cvimport-launcher-cache");
        }
        catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private int launch(CustomVisionEmulator emulator, String input) throws Exception {
        Process process = start(emulator, input);
        // Generous: on a loaded machine a JVM may take a minute to start.
        assertThat(process.waitFor(300, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }

    private Process start(CustomVisionEmulator emulator, String input, String... options) throws Exception {
        return start(Map.of(), emulator, input, options);
    }

    private Process start(Map<String, String> environment, CustomVisionEmulator emulator, String input,
            String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", Path.of("jobs/customvision-import.sh").toAbsolutePath()
                .toString(), input, "--customvision.endpoint=" + emulator.endpoint()));
        command.addAll(List.of(options));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(home.resolve("cron-mail.txt").toFile());
        // The job repository follows the user's HOME: never the real one's.
        builder.environment().remove("XDG_STATE_HOME");
        builder.environment().remove("CVIMPORT_REPOSITORY");
        builder.environment().putAll(Map.of("HOME", home.resolve("user").toString(), "CVIMPORT_HOME", home.toString(),
                "CVIMPORT_JAR", Path.of(System.getProperty("jar.path", "target/customvision-import.jar"))
                        .toAbsolutePath().toString(),
                "CVIMPORT_ENV", home.resolve("keys.env").toString(), "CVIMPORT_CACHE", CACHE.toString(),
                "JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        // The test's cheaper JVM start (see JarProcess) through the java launcher itself, so
        // that the script still runs with its own default JAVA_OPTS and its own start-up archive.
        builder.environment().put("JDK_JAVA_OPTIONS", String.join(" ", JarProcess.FAST_START));
        builder.environment().putAll(environment);
        return builder.start();
    }

    private int launch(Map<String, String> environment, String input) throws Exception {
        try (CustomVisionEmulator emulator = new CustomVisionEmulator().key(KEY)) {
            Process process = start(environment, emulator, input);
            assertThat(process.waitFor(300, TimeUnit.SECONDS)).isTrue();
            return process.exitValue();
        }
    }

    /**
     * The start-up archive: made by the first run of a jar, the job's classes mapped from it by
     * the next; one that java refuses only costs the archive's gain; a new jar gets its own, and
     * the old one goes.
     */
    @Test
    void theFirstRunOfAJarMakesTheStartUpArchiveAndTheNextRunsStartFromIt() throws Exception {
        Path jar = Files.copy(Path.of(System.getProperty("jar.path", "target/customvision-import.jar")),
                home.resolve("customvision-import.jar"));
        Path cache = home.resolve("cache");
        Path classes = home.resolve("classes.txt");
        Map<String, String> environment = Map.of("CVIMPORT_JAR", jar.toString(), "CVIMPORT_CACHE", cache.toString(),
                "JDK_JAVA_OPTIONS", String.join(" ", JarProcess.FAST_START) + " -Xlog:class+load=info:file=" + classes);
        String input = Files.writeString(home.resolve("empty.csv"), "token,region,key\n").toString();

        assertThat(launch(environment, input)).isZero();
        assertThat(launch(environment, input)).isZero();
        String log = Files.readString(home.resolve("logs/customvision-import.log"), StandardCharsets.UTF_8);
        assertThat(log.lines().filter(l -> l.contains("making the start-up archive"))).hasSize(1);
        List<Path> archives = archives(cache);
        assertThat(archives).hasSize(1);
        assertThat(Files.readString(classes)).containsPattern("io\\.cvimport\\.Application source: shared objects file");

        Files.write(archives.get(0).resolve("app.jsa"), new byte[4096]);
        assertThat(launch(environment, input)).as("an archive java refuses: the run starts without it").isZero();
        assertThat(Files.readString(classes)).doesNotContain("shared objects file (top)");

        assertThat(jar.toFile().setLastModified(System.currentTimeMillis() + 5_000)).isTrue();
        assertThat(launch(environment, input)).isZero();
        assertThat(archives(cache)).hasSize(1).doesNotContain(archives.get(0));
        assertThat(Files.readString(classes)).contains("shared objects file (top)");
        assertThat(Files.readString(home.resolve("logs/customvision-import.log"), StandardCharsets.UTF_8))
                .doesNotContain("[cds").doesNotContain("could not be made");
    }

    private static List<Path> archives(Path cache) throws java.io.IOException {
        try (var entries = Files.list(cache)) {
            return entries.filter(p -> Files.exists(p.resolve("ready"))).toList();
        }
    }

    @Test
    void runsWithKeysFromTheEnvironmentFileAndPassesTheExitCodeThrough() throws Exception {
        Files.writeString(home.resolve("keys.env"), "CV_KEY_NIGHTLY=" + KEY + "\n");
        Files.writeString(home.resolve("in.csv"), "token,region,key\n"
                + "\"https://x.blob.core.windows.net/e/a.zip?se=2099-01-01T00%3A00%3A00Z&sig=abc\",westus2,env:CV_KEY_NIGHTLY\n");
        try (CustomVisionEmulator emulator = new CustomVisionEmulator().key(KEY)
                .importDelay(Duration.ofMillis(200), Duration.ZERO)) {
            assertThat(launch(emulator, home.resolve("in.csv").toString())).isEqualTo(0);
            assertThat(launch(emulator, home.resolve("in.csv").toString())).isEqualTo(0);
            assertThat(launch(emulator, home.resolve("nope.csv").toString())).isEqualTo(2);
            assertThat(emulator.imports()).isEqualTo(1);
        }
        String log = Files.readString(home.resolve("logs/customvision-import.log"), StandardCharsets.UTF_8);
        assertThat(log).containsPattern("=== \\S+ start .*in.csv").contains("SUCCEEDED         1")
                .contains("nothing to do").contains("missing or unreadable").doesNotContain(KEY);
        assertThat(log.lines().filter(l -> l.matches("=== \\S+ start .*"))).hasSize(3);
        assertThat(log.lines().filter(l -> l.matches("\\s*exit code \\d.*")).map(String::strip))
                .containsExactly("exit code 0", "exit code 0");
        assertThat(Files.readString(home.resolve("cron-mail.txt"))).as("cron mails nothing on success").isEmpty();
        Path repository = home.resolve("user/.local/state/customvision-import");
        assertThat(log).containsPattern("start " + java.util.regex.Pattern.quote(home.resolve("in.csv").toString())
                + " \\(pid \\d+, repository " + java.util.regex.Pattern.quote(repository.toString()) + "\\)")
                .contains("repository: " + repository.resolve("customvision-import.mv.db"));
        assertThat(repository.resolve("customvision-import.mv.db")).as("the user's repository, named explicitly")
                .exists();
        assertThat(home.resolve("data")).doesNotExist();
    }

    /** An installation upgraded in place: its history in CVIMPORT_HOME/data is used, not started again. */
    @Test
    void anEarlierVersionsRepositoryInTheWorkingFolderIsUsed() throws Exception {
        Files.writeString(home.resolve("keys.env"), "CV_KEY_NIGHTLY=" + KEY + "\n");
        Files.writeString(home.resolve("in.csv"), "token,region,key\n"
                + "\"https://x.blob.core.windows.net/e/b.zip?se=2099-01-01T00%3A00%3A00Z&sig=abc\",westus2,env:CV_KEY_NIGHTLY\n");
        try (CustomVisionEmulator emulator = new CustomVisionEmulator().key(KEY)
                .importDelay(Duration.ofMillis(200), Duration.ZERO)) {
            // What the launcher of earlier versions did: run in CVIMPORT_HOME, repository in ./data.
            assertThat(JarProcess.start(home, List.of("--input=" + home.resolve("in.csv"),
                    "--customvision.endpoint=" + emulator.endpoint(),
                    "--spring.datasource.url=jdbc:h2:file:./data/customvision-import;AUTO_SERVER=TRUE"),
                    Map.of("CV_KEY_NIGHTLY", KEY)).waitFor(120)).isEqualTo(0);
            assertThat(launch(emulator, home.resolve("in.csv").toString())).isEqualTo(0);
            assertThat(emulator.imports()).isEqualTo(1);
        }
        String log = Files.readString(home.resolve("logs/customvision-import.log"), StandardCharsets.UTF_8);
        assertThat(log).contains("nothing to do").contains("earlier version")
                .contains("repository: " + home.resolve("data/customvision-import.mv.db"));
    }

    /**
     * systemd's stop (and cron's kill) signals the launcher's pid. The launcher has become
     * the JVM (exec), so the job itself gets SIGTERM: it stops at a boundary, exits 1, and the
     * same command finishes it.
     */
    @Test
    void sigtermToTheLauncherStopsTheJobResumably() throws Exception {
        Files.writeString(home.resolve("keys.env"), "CV_KEY_NIGHTLY=" + KEY + "\n");
        StringBuilder rows = new StringBuilder("token,region,key\n");
        for (int i = 0; i < 6; i++) {
            rows.append("\"https://x.blob.core.windows.net/e/term-").append(i)
                    .append(".zip?se=2099-01-01T00%3A00%3A00Z&sig=abc\",westus2,env:CV_KEY_NIGHTLY\n");
        }
        Files.writeString(home.resolve("term.csv"), rows);
        try (CustomVisionEmulator emulator = new CustomVisionEmulator().key(KEY)
                .importDelay(Duration.ofSeconds(2), Duration.ZERO)) {
            Process launcher = start(emulator, home.resolve("term.csv").toString(), "--import.rate-per-target=1");
            long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
            while (emulator.imports() < 2 && launcher.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(emulator.imports()).isGreaterThanOrEqualTo(2);
            launcher.destroy(); // SIGTERM to the launcher's pid, as systemctl stop does
            assertThat(launcher.waitFor(180, TimeUnit.SECONDS)).isTrue();
            String log = Files.readString(home.resolve("logs/customvision-import.log"), StandardCharsets.UTF_8);
            assertThat(launcher.exitValue()).as(log).isEqualTo(1);
            assertThat(log).contains("stop requested").contains("exit code 1");

            assertThat(launch(emulator, home.resolve("term.csv").toString())).isEqualTo(0);
            for (int i = 0; i < 6; i++) {
                assertThat(emulator.importsOf(KEY, "https://x.blob.core.windows.net/e/term-" + i
                        + ".zip?se=2099-01-01T00%3A00%3A00Z&sig=abc")).isEqualTo(1);
            }
        }
    }
}
