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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

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

        Set<String> secrets = secrets(tokens);
        List<Path> leftBehind;
        try (Stream<Path> files = Files.walk(dir)) {
            leftBehind = files.filter(Files::isRegularFile).filter(f -> !f.equals(input)).toList();
        }
        assertThat(leftBehind).anyMatch(f -> f.toString().endsWith(".mv.db")).anyMatch(f -> f.toString().endsWith(".csv"))
                .anyMatch(f -> f.getFileName().toString().equals("debug.log"));
        assertThat(Files.size(dir.resolve("debug.log"))).as("a DEBUG log was written").isGreaterThan(10_000);
        for (Path file : leftBehind) {
            assertHoldsNone(secrets, file.getFileName().toString(),
                    new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
        }
    }

    /**
     * With {@code --logging.structured.format.console=ecs} every log event on the console is
     * one line of JSON (ECS), and only the summary the job prints for people stays plain
     * text; no line holds a key or a token (here including a REJECTED row's service message
     * and a row whose key comes from {@code env:NAME}).
     */
    @Test
    void jsonConsoleLogsHoldNoSecret() throws Exception {
        String future = "2099-01-01T00%3A00%3A00Z";
        List<String> tokens = List.of(token("json-0", future), token("json-1", future), token("json-2", future),
                token("json-invalid", future), token("json-unknown-key", future));
        List<String> lines = new ArrayList<>(List.of("token,region,key"));
        lines.add("\"" + tokens.get(0) + "\",westus2," + LITERAL_KEY);
        lines.add("\"" + tokens.get(1) + "\",westus2,env:CV_SECRET_KEY");
        lines.add("\"" + tokens.get(2) + "\",eastus,env:CV_SECRET_KEY");
        lines.add("\"" + tokens.get(3) + "\",westus2," + LITERAL_KEY);
        lines.add("\"" + tokens.get(4) + "\",westus2," + UNKNOWN_KEY);
        Path input = dir.resolve("json.csv");
        Files.write(input, lines);
        // A file where the metrics file's folder should be: its error is logged, in JSON too.
        Path notAFolder = Files.writeString(dir.resolve("textfile"), "");

        JarProcess run;
        try (CustomVisionEmulator emulator = new CustomVisionEmulator().key(LITERAL_KEY, ENV_KEY).loseAnswers(0.3)
                .importDelay(Duration.ofMillis(200), Duration.ZERO)) {
            run = JarProcess.start(dir, List.of("--input=" + input, "--customvision.endpoint=" + emulator.endpoint(),
                    "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("data/repository"),
                    "--logging.structured.format.console=ecs", "--logging.level.io.cvimport=DEBUG",
                    "--import.in-doubt-grace=300ms", "--import.poll-interval=200ms",
                    "--metrics.textfile=" + notAFolder.resolve("cvimport.prom")), Map.of("CV_SECRET_KEY", ENV_KEY));
            assertThat(run.waitFor(120)).isEqualTo(3);
        }

        JsonMapper json = JsonMapper.builder().build();
        List<JsonNode> events = new ArrayList<>();
        List<String> plain = new ArrayList<>();
        for (String line : run.output().split("\n")) {
            if (line.startsWith("{")) {
                events.add(json.readTree(line));
            }
            else if (!line.isBlank()) {
                plain.add(line);
            }
        }
        assertThat(events).as("log events").hasSizeGreaterThan(5).allSatisfy(event -> {
            assertThat(event.has("@timestamp")).isTrue();
            assertThat(event.path("message").asString()).isNotBlank();
            assertThat(event.path("log").path("level").asString()).isIn("DEBUG", "INFO", "WARN", "ERROR");
        });
        assertThat(events).extracting(event -> event.path("message").asString())
                .anyMatch(message -> message.startsWith("cannot write the metrics file"));
        assertThat(plain).as("the summary, for people").anyMatch(line -> line.contains("exit code 3"))
                .anyMatch(line -> line.contains("REJECTED")).noneMatch(line -> line.matches(
                        "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} +(TRACE|DEBUG|INFO|WARN|ERROR) .*"));
        assertHoldsNone(secrets(tokens), "the console", run.output());
    }

    /** Every key and token of these tests, raw and URL-encoded, and each token's signature. */
    private static Set<String> secrets(List<String> tokens) {
        Set<String> secrets = new LinkedHashSet<>(List.of(LITERAL_KEY, ENV_KEY, UNKNOWN_KEY));
        for (String token : tokens) {
            secrets.add(token);
            secrets.add(URLEncoder.encode(token, StandardCharsets.UTF_8));
            secrets.add(URLDecoder.decode(token, StandardCharsets.UTF_8));
            String signature = token.substring(token.indexOf("sig=") + 4);
            secrets.add(signature);
            secrets.add(URLDecoder.decode(signature, StandardCharsets.UTF_8));
        }
        return secrets;
    }

    private static void assertHoldsNone(Set<String> secrets, String what, String content) {
        for (String secret : secrets) {
            assertThat(content.contains(secret)).as("%s holds %s...", what, secret.substring(0, 12)).isFalse();
        }
    }
}
