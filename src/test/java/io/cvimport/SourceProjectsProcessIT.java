package io.cvimport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cvimport.emulator.CustomVisionEmulator;

/**
 * Source rows through the jar, killed twice: 200 source projects over 4 source and 4 target
 * resources, their tokens living 20 s after each export, the job killed (kill -9) and resumed
 * only after the first run's tokens expired, killed again, and run to its end. Every source
 * project is imported exactly once into its target, every row SUCCEEDED with its export's
 * counts, and no token is anywhere at rest or in the log.
 */
class SourceProjectsProcessIT {

    static final String[] SOURCES = { "50000000000000000000000000000000", "51111111111111111111111111111111",
            "52222222222222222222222222222222", "53333333333333333333333333333333" };
    static final String[] TARGETS = { "70000000000000000000000000000000", "71111111111111111111111111111111",
            "72222222222222222222222222222222", "73333333333333333333333333333333" };
    static final String[] SOURCE_REGIONS = { "eastus", "westeurope", "northeurope", "westus2" };
    static final int ROWS = 200;
    static final Duration TOKEN_LIFETIME = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void killedTwiceAndResumedAfterTheTokensExpiredEveryProjectIsImportedOnce() throws Exception {
        long started = System.nanoTime();
        try (CustomVisionEmulator emulator = new CustomVisionEmulator().key(SOURCES).key(TARGETS)
                .importDelay(Duration.ofMillis(1500), Duration.ofMillis(500)).exportTokenLifetime(TOKEN_LIFETIME)) {
            Map<String, String> nameOf = new HashMap<>();
            List<String> lines = new ArrayList<>(List.of("sourceRegion,sourceKey,projectId,region,key,tenant"));
            for (int i = 0; i < ROWS; i++) {
                String name = "project-" + i;
                String id = emulator.sourceProject(SOURCES[i % 4], name, 1 + i % 5, 10 + i, 1 + i % 3, i % 2);
                nameOf.put(id, name);
                lines.add(SOURCE_REGIONS[i % 4] + "," + SOURCES[i % 4] + "," + id + ",westus2," + TARGETS[(i / 4) % 4]
                        + ",tenant-" + i);
            }
            Path input = dir.resolve("sources.csv");
            Files.write(input, lines);
            List<String> args = List.of("--input=" + input, "--customvision.endpoint=" + emulator.endpoint(),
                    "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("db/repository"),
                    "--report=" + dir.resolve("report.csv"), "--import.rate-per-target=6",
                    "--import.poll-interval=300ms", "--import.max-poll-interval=1s", "--import.in-doubt-grace=500ms",
                    "--import.lock-ttl=3s", "--customvision.connect-timeout=1s", "--customvision.response-timeout=4s");

            JarProcess first = JarProcess.start(dir, args);
            waitForImports(emulator, 50, first);
            first.kill9();
            long firstRunDone = System.nanoTime();
            long importsAfterFirst = emulator.imports();
            // Resumed only once every token the first run minted has expired.
            Thread.sleep(Math.max(0, TOKEN_LIFETIME.plusSeconds(1).toMillis()
                    - Duration.ofNanos(System.nanoTime() - firstRunDone).toMillis()));

            JarProcess second = JarProcess.start(dir, args);
            waitForImports(emulator, importsAfterFirst + 50, second);
            second.kill9();

            JarProcess third = JarProcess.start(dir, args);
            int code = third.waitFor(120);
            assertThat(code).as(third.output()).isEqualTo(0);

            for (int t = 0; t < TARGETS.length; t++) {
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < ROWS; i++) {
                    if ((i / 4) % 4 == t) {
                        expected.add("project-" + i);
                    }
                }
                List<String> names = emulator.projects(TARGETS[t]).stream()
                        .map(CustomVisionEmulator.EmulatedProject::name).toList();
                assertThat(names).as("projects of target %d: each of its source projects once", t)
                        .containsExactlyInAnyOrderElementsOf(expected);
            }
            List<CSVRecord> report = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                    .parse(new StringReader(Files.readString(dir.resolve("report.csv")))).getRecords();
            assertThat(report).hasSize(ROWS);
            for (CSVRecord row : report) {
                int i = Integer.parseInt(row.get("row")) - 1;
                assertThat(row.get("status")).as("row %d: %s", i + 1, row.get("message")).isEqualTo("SUCCEEDED");
                assertThat(nameOf.get(row.get("sourceProject"))).isEqualTo("project-" + i);
                assertThat(row.get("images")).isEqualTo(String.valueOf(10 + i));
                assertThat(row.get("tags")).isEqualTo(String.valueOf(1 + i % 5));
                assertThat(row.get("iterations")).isEqualTo(String.valueOf(1 + i % 3));
                assertThat(row.get("estimatedImportMs")).isNotEmpty();
                assertThat(emulator.projects(TARGETS[(i / 4) % 4]).stream()
                        .filter(p -> p.id().equals(row.get("projectId"))).map(CustomVisionEmulator.EmulatedProject::name))
                        .containsExactly("project-" + i);
            }

            List<String> tokens = emulator.exportTokens();
            assertThat(tokens).as("exports, the first run's among them re-exported").hasSizeGreaterThanOrEqualTo(ROWS);
            Set<String> secrets = secrets(tokens);
            try (Stream<Path> files = Files.walk(dir)) {
                List<Path> leftBehind = files.filter(Files::isRegularFile).filter(f -> !f.equals(input))
                        .filter(f -> !f.toString().endsWith(".jsa")).toList();
                assertThat(leftBehind).anyMatch(f -> f.toString().endsWith(".mv.db"))
                        .anyMatch(f -> f.toString().endsWith(".log"));
                for (Path file : leftBehind) {
                    assertHoldsNone(secrets, file, new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
                }
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        System.out.println("SourceProjectsProcessIT: " + took.toMillis() + " ms");
    }

    static void waitForImports(CustomVisionEmulator emulator, long count, JarProcess run)
            throws InterruptedException {
        // Generous: on a loaded machine a JVM may take a minute to start.
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (emulator.imports() < count && run.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(emulator.imports()).as(run.output()).isGreaterThanOrEqualTo(count);
    }

    /** Every minted token, raw, URL-encoded and decoded, its signature, and every key. */
    private static Set<String> secrets(List<String> tokens) {
        Set<String> secrets = new LinkedHashSet<>(List.of(SOURCES));
        secrets.addAll(List.of(TARGETS));
        for (String token : tokens) {
            secrets.add(token);
            secrets.add(URLEncoder.encode(token, StandardCharsets.UTF_8));
            secrets.add(URLDecoder.decode(token, StandardCharsets.UTF_8));
            String signature = token.substring(token.indexOf("sig=") + 4, token.indexOf('&', token.indexOf("sig=")));
            secrets.add(signature);
        }
        return secrets;
    }

    private static void assertHoldsNone(Set<String> secrets, Path file, String content) throws IOException {
        for (String secret : secrets) {
            assertThat(content.contains(secret)).as("%s holds %s...", file.getFileName(), secret.substring(0, 12))
                    .isFalse();
        }
    }
}
