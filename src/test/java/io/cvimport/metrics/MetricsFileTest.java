package io.cvimport.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cvimport.ledger.RowStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;

/** The metrics text file as the node exporter's textfile collector reads it. */
class MetricsFileTest {

    /** A sample line of the Prometheus text format: name, optional labels, value. */
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"[^\"]*\"(,[a-zA-Z_][a-zA-Z0-9_]*=\"[^\"]*\")*\\})?"
                    + " (-?[0-9.]+(E-?[0-9]+)?|NaN|[+-]Inf)");
    private static final Pattern COMMENT = Pattern.compile("# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) .*");

    @TempDir
    Path dir;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final PrometheusRegistry gateway = new PrometheusRegistry();
    private final PushedMeters pushed = new PushedMeters(gateway);

    private Map<String, Double> samples(Path file) throws Exception {
        Map<String, Double> samples = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("#")) {
                assertThat(line).matches(COMMENT);
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            assertThat(sample.matches()).as("a sample line: %s", line).isTrue();
            int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return samples;
    }

    @Test
    void theRunsMetersInPrometheusTextFormat() throws Exception {
        Path file = dir.resolve("cvimport.prom");
        Counter.builder("cvimport.api.calls").tag("operation", "import").register(registry).increment(42);
        long before = System.currentTimeMillis();

        new MetricsFile(registry, pushed, new MetricsProperties(file.toString())).write(Map.of(RowStatus.SUCCEEDED, 40L, RowStatus.REJECTED, 2L), 3,
                Duration.ofMillis(12_500));

        Map<String, Double> samples = samples(file);
        assertThat(samples).containsEntry("cvimport_rows{status=\"SUCCEEDED\"}", 40.0)
                .containsEntry("cvimport_rows{status=\"REJECTED\"}", 2.0)
                .containsEntry("cvimport_rows{status=\"IN_DOUBT\"}", 0.0)
                .containsEntry("cvimport_api_calls_total{operation=\"import\"}", 42.0)
                .containsEntry("cvimport_run_exit_code", 3.0)
                .containsEntry("cvimport_run_duration_seconds", 12.5);
        for (RowStatus status : RowStatus.values()) {
            assertThat(samples).containsKey("cvimport_rows{status=\"" + status + "\"}");
        }
        assertThat(samples.get("cvimport_run_end_time_seconds") * 1000).isBetween(before - 1000.0,
                System.currentTimeMillis() + 1000.0);
        assertThat(Files.readAllLines(file)).contains("# TYPE cvimport_rows gauge",
                "# TYPE cvimport_api_calls_total counter", "# TYPE cvimport_run_exit_code gauge");
    }

    @Test
    void aMissingFolderIsCreated() throws Exception {
        Path file = dir.resolve("textfile/collector/cvimport.prom");

        new MetricsFile(registry, pushed, new MetricsProperties(file.toString())).write(Map.of(), 0, Duration.ofSeconds(1));

        assertThat(samples(file)).containsEntry("cvimport_run_exit_code", 0.0);
    }

    @Test
    void theFileIsReplacedWholeAndNoPartialFileStays() throws Exception {
        Path file = dir.resolve("cvimport.prom");
        Files.writeString(file, "cvimport_run_exit_code 1\n");

        new MetricsFile(registry, pushed, new MetricsProperties(file.toString())).write(Map.of(RowStatus.SUCCEEDED, 5L), 0, Duration.ofSeconds(1));

        assertThat(samples(file)).containsEntry("cvimport_run_exit_code", 0.0)
                .containsEntry("cvimport_rows{status=\"SUCCEEDED\"}", 5.0);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void aFileThatCannotBeWrittenDoesNotFailTheRun() throws Exception {
        // The folder is a file here (tests run as root, for whom no permission is missing).
        Path notAFolder = Files.writeString(dir.resolve("textfile"), "");
        Path file = notAFolder.resolve("cvimport.prom");
        MetricsFile metrics = new MetricsFile(registry, pushed, new MetricsProperties(file.toString()));

        assertThatCode(() -> metrics.write(Map.of(RowStatus.SUCCEEDED, 1L), 0, Duration.ofSeconds(1)))
                .doesNotThrowAnyException();

        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(notAFolder);
        }
    }

    @Test
    void withoutAPathNothingIsWritten() throws Exception {
        new MetricsFile(registry, pushed, new MetricsProperties("")).write(Map.of(RowStatus.SUCCEEDED, 1L), 0, Duration.ofSeconds(1));

        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
        assertThat(List.of(registry.scrape().split("\n"))).contains("cvimport_rows{status=\"SUCCEEDED\"} 1.0");
    }

    @Test
    void thePushgatewayGetsNothingBeforeTheEndThenTheMetersOfTheEnd() throws Exception {
        Counter calls = Counter.builder("cvimport.api.calls").tag("operation", "import").register(registry);
        calls.increment(3);
        MetricsFile metrics = new MetricsFile(registry, pushed, new MetricsProperties(""));
        assertThat(gateway.scrape().size()).as("a push before the end changes nothing in the gateway").isZero();

        metrics.write(Map.of(RowStatus.SUCCEEDED, 3L), 0, Duration.ofSeconds(2));
        calls.increment(100);
        metrics.write(Map.of(RowStatus.SUCCEEDED, 3L), 0, Duration.ofSeconds(2));

        assertThat(gateway.scrape().stream().map(s -> s.getMetadata().getPrometheusName()))
                .contains("cvimport_rows", "cvimport_run_exit_code", "cvimport_api_calls");
        GaugeSnapshot rows = (GaugeSnapshot) gateway.scrape().stream()
                .filter(s -> s.getMetadata().getPrometheusName().equals("cvimport_rows")).findFirst().orElseThrow();
        assertThat(rows.getDataPoints()).anyMatch(p -> p.getLabels().get("status").equals("SUCCEEDED")
                && p.getValue() == 3.0);
        assertThat(gateway.scrape().stream().filter(s -> s.getMetadata().getPrometheusName().equals("cvimport_api_calls"))
                .flatMap(s -> s.getDataPoints().stream())).singleElement()
                .matches(p -> ((CounterDataPointSnapshot) p)
                        .getValue() == 3.0, "the count at the run's end");
    }
}
