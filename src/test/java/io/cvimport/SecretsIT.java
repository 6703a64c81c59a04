package io.cvimport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cvimport.emulator.CustomVisionEmulator;

/**
 * Runs the jar at DEBUG everywhere (HttpClient included) with rejected, failed, throttled and retried rows and lost answers,
 * then scans everything it left (output, report, database files) for every key and token of
 * its input, raw and URL-encoded, and for each token's signature.
 */
class SecretsIT {

    static final String LITERAL_KEY = "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1";
    static final String ENV_KEY = "e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2";
    static final String UNKNOWN_KEY = "d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3";

    @TempDir
    Path dir;

    static String token(String name, String expiry) {
        return "https://cvexports.blob.core.windows.net/exports/" + name + ".zip?sv=2021-08-06&se=" + expiry
                + "&sr=b&sp=r&sig=SeCrEtSiGnAtUrE" + Math.abs(name.hashCode()) + "%2Bx%2Fy%3D";
    }

    @Test
    void nothingLeftBehindHoldsASecret() throws Exception {
        String future = "2099-01-01T00%3A00%3A00Z";
        List<String> tokens = new ArrayList<>();
        List<String> lines = new ArrayList<>(List.of("token,region,key,note"));
        for (int i = 0; i < 12; i++) {
            tokens.add(token("good-" + i, future));
            lines.add("\"" + tokens.get(i) + "\",westus2," + (i % 2 == 0 ? LITERAL_KEY : "env:CV_SECRET_KEY") + ",ok");
        }
        String[][] awkward = {
                { token("will-fail", future), "westus2", LITERAL_KEY },
                { token("invalid-token", future), "westus2", LITERAL_KEY },
                { token("unknown-key", future), "eastus", UNKNOWN_KEY },
                { token("bad-region", future), "evil.example/x?", LITERAL_KEY },
                { token("expired", "2020-01-01T00%3A00%3A00Z"), "westus2", LITERAL_KEY },
                { token("unset-env", future), "westus2", "env:CV_NOT_SET" } };
        for (String[] row : awkward) {
            tokens.add(row[0]);
            lines.add("\"" + row[0] + "\"," + row[1] + "," + row[2] + ",awkward");
        }
        Path input = dir.resolve("secrets.csv");
        Files.write(input, lines);

        try (CustomVisionEmulator emulator = new CustomVisionEmulator().key(LITERAL_KEY, ENV_KEY).ratePerSecond(4)
                .loseAnswers(0.25).importDelay(Duration.ofMillis(200), Duration.ZERO)) {
            JarProcess run = JarProcess.start(dir, List.of("--input=" + input,
                    "--customvision.endpoint=" + emulator.endpoint(),
                    "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("data/repository"),
                    "--logging.level.root=DEBUG", "--logging.level.io.cvimport=DEBUG",
                    "--logging.level.org.apache.hc=DEBUG", "--logging.file.name=" + dir.resolve("debug.log"),
                    "--import.rate-per-target=20", "--import.in-doubt-grace=300ms", "--import.poll-interval=200ms"),
                    Map.of("CV_SECRET_KEY", ENV_KEY));
            // The row whose key variable is unset stays open for a run that has it: exit 1.
            assertThat(run.waitFor(120)).isEqualTo(1);
            assertThat(emulator.throttled()).as("throttled calls").isPositive();
            assertThat(emulator.lostAnswers()).as("lost answers").isPositive();
        }

        Set<String> secrets = new LinkedHashSet<>(List.of(LITERAL_KEY, ENV_KEY, UNKNOWN_KEY));
        for (String token : tokens) {
            secrets.add(token);
            secrets.add(URLEncoder.encode(token, StandardCharsets.UTF_8));
            secrets.add(URLDecoder.decode(token, StandardCharsets.UTF_8));
            String signature = token.substring(token.indexOf("sig=") + 4);
            secrets.add(signature);
            secrets.add(URLDecoder.decode(signature, StandardCharsets.UTF_8));
        }
        List<Path> leftBehind;
        try (Stream<Path> files = Files.walk(dir)) {
            leftBehind = files.filter(Files::isRegularFile).filter(f -> !f.equals(input)).toList();
        }
        assertThat(leftBehind).anyMatch(f -> f.toString().endsWith(".mv.db")).anyMatch(f -> f.toString().endsWith(".csv"))
                .anyMatch(f -> f.getFileName().toString().equals("debug.log"));
        assertThat(Files.size(dir.resolve("debug.log"))).as("a DEBUG log was written").isGreaterThan(10_000);
        for (Path file : leftBehind) {
            String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            for (String secret : secrets) {
                assertThat(content.contains(secret)).as("%s holds %s...", file.getFileName(),
                        secret.substring(0, 12)).isFalse();
            }
        }
    }
}
