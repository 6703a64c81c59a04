package io.cvimport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cvimport.emulator.CustomVisionEmulator;

/**
 * The jar as operators run it, two processes at once against one resource: a token is
 * imported into the resource once (the resource reached through its regional endpoint and
 * its custom subdomain is ResourceIdentityJobTest).
 */
class ResourceIdentityIT {

    static final String KEY = "44444444444444444444444444444444";

    @TempDir
    Path dir;

    CustomVisionEmulator emulator;

    @BeforeEach
    void start() throws Exception {
        emulator = new CustomVisionEmulator().key(KEY).importDelay(Duration.ofMillis(300), Duration.ofMillis(300));
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    static String token(String name) {
        return "https://cvexports.blob.core.windows.net/exports/" + name
                + ".zip?sv=2021-08-06&se=2099-01-01T00%3A00%3A00Z&sr=b&sp=r&sig=R3s" + name.hashCode() + "%2B%3D";
    }

    private Path input(String name, List<String> tokens) throws Exception {
        List<String> lines = new ArrayList<>(List.of("token,region,key"));
        tokens.forEach(t -> lines.add("\"" + token(t) + "\",westus2," + KEY));
        Path file = dir.resolve(name);
        Files.write(file, lines);
        return file;
    }

    private List<String> args(String endpoint, Path input) {
        return List.of("--input=" + input, "--customvision.endpoint=" + endpoint, "--import.poll-interval=200ms",
                "--import.max-poll-interval=500ms", "--import.in-doubt-grace=500ms",
                "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("db/repository") + ";AUTO_SERVER=TRUE");
    }

    private static List<String> tokens(String prefix, int count) {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tokens.add(prefix + i);
        }
        return tokens;
    }

    /** The report of an input's last run. */
    private List<String> lastReport(String inputName) throws Exception {
        try (Stream<Path> reports = Files.list(dir.resolve("reports"))) {
            Path report = reports.filter(p -> p.getFileName().toString().startsWith(inputName))
                    .max(java.util.Comparator.comparing(p -> p.toFile().lastModified())).orElseThrow();
            return Files.readAllLines(report);
        }
    }

    @Test
    void oneTokenOneTargetFromTwoProcessesAtOnceIsImportedOnce() throws Exception {
        List<String> tokens = tokens("processes-", 20);
        List<String> reversed = new ArrayList<>(tokens);
        Collections.reverse(reversed);
        String endpoint = emulator.endpoint().toString();

        JarProcess one = JarProcess.start(dir, args(endpoint, input("one.csv", tokens)));
        JarProcess two = JarProcess.start(dir, args(endpoint, input("two.csv", reversed)));

        int first = one.waitFor(180);
        int second = two.waitFor(180);
        for (String token : tokens) {
            assertThat(emulator.importsOf(KEY, token(token))).as("imports of " + token).isEqualTo(1);
        }
        // On H2 (AUTO_SERVER) the process that opened the file serves it to the other: if it ends
        // first, the other loses its repository and exits 1, resumable; the operator re-runs it.
        assertThat(first).as(one.output()).isIn(0, 1);
        assertThat(second).as(two.output()).isIn(0, 1);
        if (first == 1) {
            assertThat(JarProcess.run(dir, args(endpoint, dir.resolve("one.csv")))).as(JarProcess.lastOutput(dir))
                    .isEqualTo(0);
        }
        if (second == 1) {
            assertThat(JarProcess.run(dir, args(endpoint, dir.resolve("two.csv")))).as(JarProcess.lastOutput(dir))
                    .isEqualTo(0);
        }
        for (String token : tokens) {
            assertThat(emulator.importsOf(KEY, token(token))).as("imports of " + token).isEqualTo(1);
        }
        long succeeded = Stream.concat(lastReport("one").stream(), lastReport("two").stream())
                .filter(line -> line.contains(",SUCCEEDED,")).count();
        assertThat(succeeded).isEqualTo(tokens.size());
    }
}
