package io.cvimport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cvimport.emulator.CustomVisionEmulator;

/**
 * The command line as a person meets it, typos and all: what the jar prints, on which
 * stream, with which exit code, how fast, and that a usage error leaves nothing behind.
 */
class CommandLineIT {

    static final String KEY = "27272727272727272727272727272727";
    /**
     * A usage error is answered before Spring starts: the JVM and the jar's launcher, then the
     * check, without Spring's context, logging or database. The limit is for a 2-core machine that
     * several builds share (load average 10 when it was written: these runs took 1.2 to 3.1 s
     * there, the same errors before this check 13 to 27 s, Spring's whole start and the
     * database's). How long it takes on a quiet machine is measured by hand, not here.
     */
    static final Duration USAGE_LIMIT = Duration.ofSeconds(6);

    @TempDir
    Path dir;

    CustomVisionEmulator emulator;
    Path home;
    Path input;

    @BeforeEach
    void start() throws Exception {
        emulator = new CustomVisionEmulator().key(KEY).importDelay(Duration.ofMillis(100), Duration.ZERO);
        home = Files.createDirectories(dir.resolve("home"));
        input = Files.write(dir.resolve("tenants.csv"), List.of("token,region,key",
                "\"https://x.blob.core.windows.net/e/a.zip?se=2099-01-01T00%3A00%3A00Z&sig=sa\",westus2," + KEY));
        Files.setPosixFilePermissions(input, PosixFilePermissions.fromString("rw-------"));
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private MeasuredRun.Result run(String... args) throws Exception {
        return MeasuredRun.run(dir, List.of(), List.of(args), Map.of("HOME", home.toString()));
    }

    private List<String> withEmulator(String... more) {
        List<String> args = new ArrayList<>(List.of("--input=" + input, "--customvision.endpoint=" + emulator.endpoint(),
                "--import.poll-interval=200ms"));
        args.addAll(List.of(more));
        return args;
    }

    /** Exit 2 at once, one line on stderr, nothing on stdout, no repository made. */
    private void assertRefusedAtOnce(MeasuredRun.Result run, String line) throws Exception {
        String all = run.figures() + "\nstdout:\n" + run.out() + "\nstderr:\n" + run.err();
        assertThat(run.exitCode()).as(all).isEqualTo(2);
        assertThat(run.err()).as(all).contains("customvision-import: " + line + "\n");
        assertThat(run.out()).as(all).isEmpty();
        assertThat(run.err()).as(all).doesNotContain("APPLICATION FAILED TO START").doesNotContain("Exception")
                .doesNotContain("\tat ");
        assertThat(run.took()).as(all).isLessThan(USAGE_LIMIT);
        try (var made = Files.walk(home)) {
            assertThat(made.filter(path -> !path.equals(home)).toList()).as("files made under HOME").isEmpty();
        }
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void aMisspeltOptionIsRefusedWithTheNearestKnownOne() throws Exception {
        assertRefusedAtOnce(run(withEmulator("--import.rate-per-targt=5").toArray(String[]::new)),
                "--import.rate-per-targt: unknown option; did you mean --import.rate-per-target?");
        assertRefusedAtOnce(run("--input=" + input, "--customvision.endpont=http://127.0.0.1:9"),
                "--customvision.endpont: unknown option; did you mean --customvision.endpoint?");
        assertRefusedAtOnce(run("--input=" + input, "--import.projct-limit=3", "--plan"),
                "--import.projct-limit: unknown option; did you mean --import.project-limit?");
        assertRefusedAtOnce(run("--status", "--repositry=x"),
                "--repositry: unknown option; did you mean --repository?");
        assertThat(emulator.imports()).isZero();
    }

    @Test
    void spellingsSpringBootBindsAndItsOwnOptionsStillRun() throws Exception {
        MeasuredRun.Result run = run(withEmulator("--import.ratePerTarget=5", "--customvision.endpoints.westeurope="
                + emulator.endpoint(), "--logging.level.io.cvimport=WARN", "--spring.main.log-startup-info=false")
                .toArray(String[]::new));
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(emulator.imports()).isEqualTo(1);
    }

    @Test
    void aBadValueNamesTheOptionTheValueAndTheAcceptedForm() throws Exception {
        assertRefusedAtOnce(run("--input=" + input, "--import.timeout=banana"),
                "--import.timeout=banana: not a duration (e.g. 30s, 5m, PT1H)");
        assertRefusedAtOnce(run("--input=" + input, "--import.rate-per-target=-1"),
                "--import.rate-per-target=-1: must be positive");
        assertRefusedAtOnce(run("--input=" + input, "--import.concurrency=lots"),
                "--import.concurrency=lots: not a whole number");
        assertRefusedAtOnce(run("--input=" + input, "--scale.role=boss"),
                "--scale.role=boss: takes one of single, manager, worker");
        assertRefusedAtOnce(run("--report-of=last"), "--report-of=last: not a whole number");
    }

    @Test
    void aBadSettingInTheEnvironmentIsOneLineNamingTheVariable() throws Exception {
        MeasuredRun.Result run = MeasuredRun.run(dir, List.of(), List.of("--status"),
                Map.of("HOME", home.toString(), "IMPORT_TIMEOUT", "banana"));
        String all = "stdout:\n" + run.out() + "\nstderr:\n" + run.err();
        assertThat(run.exitCode()).as(all).isEqualTo(2);
        assertThat(run.err()).as(all).contains("customvision-import: bad setting: import.timeout=banana"
                + " (System Environment Property \"IMPORT_TIMEOUT\"): not a duration (e.g. 30s, 5m, PT1H)");
        assertThat(run.out() + run.err()).as(all).doesNotContain("APPLICATION FAILED TO START")
                .doesNotContain("Exception");
    }

    @Test
    void aMissingInputIsAnsweredBeforeAnythingStarts() throws Exception {
        assertRefusedAtOnce(run("--import.timeout=5m"), "--input=FILE is required");
        Path missing = dir.resolve("missing.csv");
        assertRefusedAtOnce(run("--input=" + missing), "input " + missing + " is missing or unreadable");
        assertRefusedAtOnce(run("--plan", "--input=" + dir), "input " + dir + " is missing or unreadable");
    }

    @Test
    void helpListsEveryOptionWithItsDefaultAndExitsZero() throws Exception {
        for (String help : List.of("--help", "-h")) {
            MeasuredRun.Result run = run(help);
            assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
            assertThat(run.took()).as(run.figures()).isLessThan(USAGE_LIMIT);
            assertThat(run.out()).contains("usage: java -jar customvision-import.jar --input=FILE")
                    .contains("--import.timeout=DURATION").contains("default 30m")
                    .contains("--customvision.endpoints.<KEY>=URL")
                    .contains("--scale.role=single|manager|worker").contains("--metrics.textfile=")
                    .contains("--status").contains("--version")
                    .contains("how long an import may stay Importing before the row is TIMED_OUT");
            assertThat(run.err()).isEmpty();
        }
    }

    @Test
    void versionPrintsTheJarsVersion() throws Exception {
        String version;
        try (JarFile jar = new JarFile(System.getProperty("jar.path", "target/customvision-import.jar"))) {
            version = jar.getManifest().getMainAttributes().getValue("Implementation-Version");
        }
        MeasuredRun.Result run = run("--version");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).startsWith("customvision-import " + version + "\n");
        assertThat(run.took()).as(run.figures()).isLessThan(USAGE_LIMIT);
    }

    @Test
    void withoutAHomeTheOperatorIsToldToNameTheRepository() throws Exception {
        // A container user with no entry in /etc/passwd: no HOME, and the JVM's user.home is "?".
        MeasuredRun.Result run = MeasuredRun.run(dir, List.of("-Duser.home=?"), List.of("--status"), Map.of());
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(2);
        assertThat(run.err()).contains("set --repository=DIR or CVIMPORT_REPOSITORY").doesNotContain("Exception");
        assertThat(dir.resolve("?")).doesNotExist();

        // A HOME that cannot hold the repository (here a file; elsewhere one the user may not write).
        Path notADirectory = Files.writeString(dir.resolve("home-file"), "");
        run = MeasuredRun.run(dir, List.of(), List.of("--status"), Map.of("HOME", notADirectory.toString()));
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(2);
        assertThat(run.err()).contains("set --repository=DIR or CVIMPORT_REPOSITORY").doesNotContain("Exception");

        run = MeasuredRun.run(dir, List.of("-Duser.home=?"), List.of("--status"),
                Map.of("CVIMPORT_REPOSITORY", dir.resolve("repo").toString()));
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    }
}
