package io.cvimport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cvimport.emulator.CustomVisionEmulator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 27: {@code --status}, {@code --plan} and {@code --report-of} answer on stdout and
 * nothing else (logs go to stderr), each as one JSON document with {@code --format=json},
 * and the status table keeps its columns whatever their contents.
 */
class AnswersForScriptsIT {

    static final String TARGET = "28282828282828282828282828282828";
    static final String BAD_KEY = "99999999999999999999999999999999";
    /** A line of the job's log, as {@code logging.pattern.console} writes it. */
    static final Pattern LOG_LINE = Pattern.compile("(?m)^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} +(TRACE|DEBUG|INFO|WARN|ERROR)");
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Test
    void statusPlanAndReportOfAnswerOnStdoutAloneAsTextOrJson() throws Exception {
        try (CustomVisionEmulator emulator = new CustomVisionEmulator().key(TARGET)
                .importDelay(Duration.ofMillis(100), Duration.ZERO)) {
            Path input = dir.resolve("tenants-with-a-rather-long-name.csv");
            Files.write(input, List.of("token,region,key",
                    "\"" + PlanIT.token("one") + "\",westus2," + TARGET,
                    "\"" + PlanIT.token("two") + "\",westus2," + TARGET,
                    "\"" + PlanIT.token("one") + "\",westus2," + TARGET,
                    "\"" + PlanIT.token("bad") + "\",westus2," + BAD_KEY,
                    "\"" + PlanIT.token("nowhere") + "\",moon-1," + TARGET,
                    "\"" + PlanIT.token("invalid-1") + "\",westus2," + TARGET,
                    "\"" + PlanIT.token("will-fail") + "\",westus2," + TARGET,
                    "\"" + PlanIT.token("gone", "2020-01-01T00%3A00%3A00Z") + "\",westus2," + TARGET));
            List<String> repository = List.of("--spring.datasource.url=jdbc:h2:file:" + dir.resolve("db/repository"));
            List<String> run = new ArrayList<>(repository);
            run.addAll(List.of("--input=" + input, "--customvision.endpoint=" + emulator.endpoint(),
                    "--report=" + dir.resolve("run.csv"), "--import.poll-interval=200ms"));

            // The plan, before the run: text, then JSON.
            JarProcess.Streams planText = JarProcess.runApart(dir, with(run, "--plan"), Map.of());
            assertThat(planText.exitCode()).as(planText.stderr()).isEqualTo(3);
            assertThat(planText.stdout()).contains("Plan of ").doesNotContainPattern(LOG_LINE);
            JarProcess.Streams planJson = JarProcess.runApart(dir, with(run, "--plan", "--format=json"), Map.of());
            assertThat(planJson.exitCode()).as(planJson.stderr()).isEqualTo(3);
            System.out.println(planJson.stdout());
            JsonNode plan = JSON.readTree(planJson.stdout());
            assertThat(plan.get("exitCode").asInt()).isEqualTo(3);
            assertThat(plan.get("input").asString()).isEqualTo(input.toString());
            assertThat(plan.get("rows")).hasSize(8);
            assertThat(plan.get("rows").get(0).get("row").asInt()).isEqualTo(1);
            assertThat(plan.get("rows").get(0).get("verdict").asString()).isEqualTo("WOULD_IMPORT");
            assertThat(plan.get("rows").get(3).get("verdict").asString()).isEqualTo("WOULD_BE_REJECTED");
            assertThat(plan.get("rows").get(3).get("code").asString()).isEqualTo("401");
            assertThat(plan.get("verdicts").get("DUPLICATE").asInt()).isEqualTo(1);
            assertThat(plan.get("resources").get(0).get("projectsNow").asInt()).isZero();
            assertThat(Files.exists(Path.of(plan.get("report").asString()))).isTrue();

            assertThat(JarProcess.run(dir, run)).as(JarProcess.lastOutput(dir)).isEqualTo(3);

            JarProcess.Streams status = JarProcess.runApart(dir, with(repository, "--status"), Map.of());
            assertThat(status.exitCode()).as(status.stderr()).isZero();
            assertThat(status.stdout()).doesNotContainPattern(LOG_LINE);
            List<String> table = status.stdout().lines().filter(line -> !line.isBlank()).toList();
            assertThat(table).hasSize(2);
            String header = table.get(0);
            String row = table.get(1);
            // Each value starts where its column's heading does: none spills into the next.
            for (String column : List.of("instance", "status", "started", "took", "exit status", "exit code",
                    "rows now", "input")) {
                int at = header.indexOf(column);
                assertThat(at).as(column + " in " + header).isPositive();
                assertThat(row.charAt(at - 1)).as("before " + column + ":\n" + header + "\n" + row).isEqualTo(' ');
                assertThat(row.charAt(at)).as("at " + column + ":\n" + header + "\n" + row).isNotEqualTo(' ');
            }
            assertThat(row.substring(header.indexOf("input"))).isEqualTo(input.toString());

            JarProcess.Streams statusJson = JarProcess.runApart(dir, with(repository, "--status", "--format=json"),
                    Map.of());
            assertThat(statusJson.exitCode()).as(statusJson.stderr()).isZero();
            System.out.println(status.stdout() + statusJson.stdout());
            JsonNode runs = JSON.readTree(statusJson.stdout());
            JsonNode execution = runs.get("executions").get(0);
            assertThat(execution.get("status").asString()).isEqualTo("COMPLETED");
            assertThat(execution.get("exitCode").asInt()).isEqualTo(3);
            assertThat(execution.get("rows").get("SUCCEEDED").asInt()).isEqualTo(2);
            assertThat(execution.get("rows").get("REJECTED").asInt()).isEqualTo(3);
            assertThat(execution.get("input").asString()).isEqualTo(input.toString());
            assertThat(execution.get("report").asString()).isEqualTo(dir.resolve("run.csv").toString());
            assertThat(execution.get("started").asString()).as("a time with its offset").matches(".*T.*([+-]\\d\\d:\\d\\d|Z)");
            long id = execution.get("execution").asLong();

            JarProcess.Streams reportOf = JarProcess.runApart(dir, with(repository, "--report-of=" + id,
                    "--report=" + dir.resolve("again.csv"), "--format=json"), Map.of());
            assertThat(reportOf.exitCode()).as(reportOf.stderr()).isZero();
            System.out.println(reportOf.stdout());
            JsonNode again = JSON.readTree(reportOf.stdout());
            assertThat(again.get("execution").asLong()).isEqualTo(id);
            assertThat(again.get("report").asString()).isEqualTo(dir.resolve("again.csv").toString());
            assertThat(again.get("reportRows").asInt()).isEqualTo(8);
            assertThat(again.get("rows").get("DUPLICATE").asInt()).isEqualTo(1);
            assertThat(Files.readString(dir.resolve("again.csv"))).isEqualTo(Files.readString(dir.resolve("run.csv")));
            JarProcess.Streams reportOfText = JarProcess.runApart(dir, with(repository, "--report-of=" + id,
                    "--report=" + dir.resolve("again-text.csv")), Map.of());
            assertThat(reportOfText.stdout()).contains("execution " + id).doesNotContainPattern(LOG_LINE);

            for (JarProcess.Streams answer : List.of(planText, planJson, status, statusJson, reportOf)) {
                assertThat(answer.stdout() + answer.stderr()).doesNotContain(TARGET).doesNotContain(BAD_KEY)
                        .doesNotContain("sig=");
            }
        }
    }

    private static List<String> with(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all;
    }
}
