package io.cvimport.plan;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code --plan --format=json}: the plan as one JSON document. The component names are the
 * field names (documented in docs/): renaming one breaks the scripts that read them.
 *
 * @param verdicts  rows per verdict
 * @param resources one entry per target resource that rows would be sent to
 * @param rows      every row of the input, in order
 */
record PlanAnswer(String input, int exitCode, String report, long apiCalls, long tookMillis,
        long estimatedSeconds, Map<Verdict, Long> verdicts, List<Resource> resources, List<Row> rows) {

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /** A target resource's line; {@code projectsNow} and {@code capacityLeft} are null when its listing did not answer. */
    record Resource(String resource, String region, int rows, int imports, @Nullable Integer projectsNow,
            int projectLimit, @Nullable Integer capacityLeft, double callsPerSecond, int sends,
            long estimatedSeconds, String state) {
    }

    /** A row's verdict; times are ISO 8601 in UTC. */
    record Row(long row, Verdict verdict, @Nullable String code, @Nullable String reason, @Nullable String region,
            @Nullable String resource, @Nullable String estimatedSend, @Nullable String tokenExpiry) {
    }

    static PlanAnswer of(Path input, CapacityPlan.Result plan, Path report, long calls, Duration took,
            int exitCode) {
        Map<Verdict, Long> counts = new EnumMap<>(Verdict.class);
        plan.rows().forEach(row -> counts.merge(row.verdict(), 1L, Long::sum));
        List<Resource> resources = plan.resources().stream().map(line -> new Resource(line.resource(),
                line.region(), line.rows(), line.imports(), line.projectsNow(), line.projectLimit(),
                line.projectsNow() == null ? null : line.capacityLeft(), line.rate(), line.sends(),
                seconds(line.estimate()), line.state())).toList();
        long longest = resources.stream().mapToLong(Resource::estimatedSeconds).max().orElse(0);
        List<Row> rows = plan.rows().stream().map(row -> new Row(row.rowNo(), row.verdict(), row.code(),
                row.reason(), row.region(), row.resource(), text(row.estimatedSend()), text(row.expiry()))).toList();
        return new PlanAnswer(input.toString(), exitCode, report.toString(), calls, took.toMillis(), longest, counts,
                resources, rows);
    }

    void print(PrintStream out) {
        out.println(JSON.writeValueAsString(this));
        out.flush();
    }

    private static long seconds(Duration duration) {
        return (duration.toMillis() + 999) / 1000;
    }

    private static @Nullable String text(@Nullable Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
