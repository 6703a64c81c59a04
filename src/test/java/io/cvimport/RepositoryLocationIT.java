package io.cvimport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cvimport.emulator.CustomVisionEmulator;

/**
 * The default job repository is the user's, not the working directory's: cron starts jobs in
 * the home folder, a person at 3 a.m. runs them from wherever their shell is.
 */
class RepositoryLocationIT {

    static final String KEY = "7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e";

    @TempDir
    Path dir;

    CustomVisionEmulator emulator;
    Path home;
    Path input;

    @BeforeEach
    void start() throws Exception {
        emulator = new CustomVisionEmulator().key(KEY).importDelay(Duration.ofMillis(200), Duration.ZERO);
        home = Files.createDirectories(dir.resolve("home"));
        List<String> lines = new ArrayList<>(List.of("token,region,key"));
        for (String name : List.of("a", "b", "c", "invalid")) {
            lines.add("\"https://x.blob.core.windows.net/e/" + name
                    + ".zip?se=2099-01-01T00%3A00%3A00Z&sig=s" + name + "\",westus2," + KEY);
        }
        input = Files.write(Files.createDirectories(dir.resolve("srv/migrations")).resolve("tenants.csv"), lines);
        Files.setPosixFilePermissions(input, PosixFilePermissions.fromString("rw-------"));
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    /** The operator's command: no repository option at all. */
    private List<String> command(String... more) {
        List<String> args = new ArrayList<>(List.of("--input=" + input,
                "--customvision.endpoint=" + emulator.endpoint(),
                "--import.poll-interval=200ms", "--import.max-poll-interval=500ms"));
        args.addAll(List.of(more));
        return args;
    }

    /** Runs in {@code workDir} with the temporary HOME (JarProcess leaves XDG_STATE_HOME unset). */
    private int runIn(Path workDir, List<String> args) throws Exception {
        Files.createDirectories(workDir);
        return JarProcess.start(workDir, args, Map.of("HOME", home.toString())).waitFor(180);
    }

    private static String firstLines(String output) {
        return String.join("\n", output.lines().limit(3).toList());
    }

    @Test
    void theSameCommandFromTwoWorkingDirectoriesImportsNothingTheSecondTime() throws Exception {
        Path state = home.resolve(".local/state/customvision-import");
        Path repository = state.resolve("customvision-import.mv.db");
        Path cronHome = dir.resolve("cron-cwd");
        Path shell = dir.resolve("wherever/the/shell/is");

        assertThat(runIn(cronHome, command())).isEqualTo(3);
        String first = JarProcess.lastOutput(cronHome);
        assertThat(emulator.imports()).as(first).isEqualTo(3);

        assertThat(runIn(shell, command())).isEqualTo(3);
        String second = JarProcess.lastOutput(shell);
        assertThat(emulator.imports()).as("imports after the second run:%n%s", second).isEqualTo(3);
        assertThat(second).contains("nothing to do").contains("SUCCEEDED         3");

        assertThat(firstLines(first)).as(first).contains("repository: " + repository);
        assertThat(first.substring(first.indexOf("customvision-import: execution"))).as("the summary names it")
                .contains("repository: " + repository);

        assertThat(Files.exists(repository)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state))).isEqualTo("rwx------");
        assertThat(cronHome.resolve("data")).doesNotExist();
        assertThat(shell.resolve("data")).doesNotExist();

        Path elsewhere = dir.resolve("status-cwd");
        assertThat(runIn(elsewhere, List.of("--status"))).isEqualTo(0);
        String status = JarProcess.lastOutput(elsewhere);
        assertThat(firstLines(status)).as(status).contains("repository: " + repository);
        assertThat(status).containsPattern("COMPLETED .* 3 .*tenants.csv");
    }

    @Test
    void anUnusableRepositorySettingStopsTheRunBeforeAnyImport() throws Exception {
        Path cwd = dir.resolve("cwd");
        assertThat(runIn(cwd, command("--repository="))).isEqualTo(2);
        assertThat(JarProcess.lastOutput(cwd)).contains("bad option: --repository needs a directory");
        Path notADirectory = Files.writeString(dir.resolve("a-file"), "x");
        Files.createDirectories(cwd);
        int code = JarProcess.start(cwd, command(), Map.of("HOME", home.toString(), "CVIMPORT_REPOSITORY",
                notADirectory.resolve("repo").toString())).waitFor(180);
        assertThat(code).as(JarProcess.lastOutput(cwd)).isEqualTo(1);
        assertThat(JarProcess.lastOutput(cwd)).contains("cannot create the job repository's directory");
        assertThat(emulator.imports()).isZero();
    }

    @Test
    void aRepositoryLeftInDataByEarlierVersionsIsFoundAndUsed() throws Exception {
        Path old = dir.resolve("old-cwd");
        // Exactly the default of earlier versions, relative to the working directory.
        String earlierDefault = "--spring.datasource.url=jdbc:h2:file:./data/customvision-import;AUTO_SERVER=TRUE";
        assertThat(runIn(old, command(earlierDefault))).isEqualTo(3);
        assertThat(emulator.imports()).isEqualTo(3);
        Path legacy = old.resolve("data/customvision-import.mv.db");
        assertThat(legacy).exists();

        assertThat(runIn(old, command())).isEqualTo(3);
        String upgraded = JarProcess.lastOutput(old);
        assertThat(upgraded).contains("nothing to do");
        assertThat(emulator.imports()).as(upgraded).isEqualTo(3);
        assertThat(firstLines(upgraded)).as(upgraded).contains("repository: " + legacy)
                .containsPattern("WARN .*earlier version.*" + Pattern.quote(legacy.toString()));
        Path state = home.resolve(".local/state/customvision-import");
        assertThat(upgraded).as("the warning says how to move it").contains("mv " + legacy + " " + state + "/");
        assertThat(state.resolve("customvision-import.mv.db")).as("no second history is started").doesNotExist();

        // The documented one-time move; from then on any working directory finds the history.
        Files.createDirectories(state,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.move(legacy, state.resolve("customvision-import.mv.db"));
        Path shell = dir.resolve("anywhere");
        assertThat(runIn(shell, command())).isEqualTo(3);
        String moved = JarProcess.lastOutput(shell);
        assertThat(moved).contains("nothing to do").doesNotContain("WARN");
        assertThat(emulator.imports()).as(moved).isEqualTo(3);
    }

    @Test
    void anExplicitRepositoryWinsOverAnEarlierVersionsData() throws Exception {
        Path old = dir.resolve("project-root");
        String earlierDefault = "--spring.datasource.url=jdbc:h2:file:./data/customvision-import;AUTO_SERVER=TRUE";
        assertThat(runIn(old, command(earlierDefault))).isEqualTo(3);
        Path legacy = old.resolve("data/customvision-import.mv.db");
        assertThat(legacy).exists();

        Path mine = dir.resolve("mine");
        assertThat(runIn(old, List.of("--status", "--repository=" + mine))).isEqualTo(0);
        String status = JarProcess.lastOutput(old);
        assertThat(firstLines(status)).as(status).contains("repository: " + mine.resolve("customvision-import.mv.db"));
        assertThat(status).as("the earlier version's runs are not listed").doesNotContain("tenants.csv")
                .doesNotContain("earlier version");

        Path variable = dir.resolve("from-variable");
        Files.createDirectories(old);
        int code = JarProcess.start(old, command(), Map.of("HOME", home.toString(), "CVIMPORT_REPOSITORY",
                variable.toString())).waitFor(180);
        String run = JarProcess.lastOutput(old);
        assertThat(code).as(run).isEqualTo(3);
        assertThat(firstLines(run)).as(run).contains("repository: " + variable.resolve("customvision-import.mv.db"));
        assertThat(run).doesNotContain("earlier version");
    }
}
