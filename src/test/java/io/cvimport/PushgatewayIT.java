package io.cvimport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import io.cvimport.emulator.CustomVisionEmulator;

/**
 * The run's meters pushed to a Prometheus Pushgateway through Boot's support, with a local
 * HTTP server standing in for the gateway: once, when the run ends and before the process
 * exits with the run's code, grouped by job and input; commands that import nothing push no
 * metric.
 */
class PushgatewayIT {

    static final String KEY = "44444444444444444444444444444444";
    static final String GROUP = "/metrics/job/customvision-import/instance/nightly.csv";

    @TempDir
    Path dir;

    CustomVisionEmulator emulator;
    HttpServer gateway;
    final List<Push> pushes = Collections.synchronizedList(new ArrayList<>());

    record Push(String method, String path, String body) {

        /** The samples pushed, by name and labels, in the Prometheus text format. */
        Map<String, Double> samples() {
            Map<String, Double> samples = new HashMap<>();
            for (String line : body.split("\n")) {
                if (!line.startsWith("#") && !line.isBlank()) {
                    int space = line.lastIndexOf(' ');
                    samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
                }
            }
            return samples;
        }
    }

    @BeforeEach
    void start() throws IOException {
        emulator = new CustomVisionEmulator().key(KEY);
        gateway = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        gateway.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            pushes.add(new Push(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    new String(body, StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        gateway.start();
    }

    @AfterEach
    void stop() {
        gateway.stop(0);
        emulator.close();
    }

    private List<String> args(String... more) {
        return argsTo(gateway.getAddress().getPort(), more);
    }

    private List<String> argsTo(int gatewayPort, String... more) {
        List<String> args = new ArrayList<>(List.of("--customvision.endpoint=" + emulator.endpoint(),
                "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("db/repository"),
                "--import.poll-interval=200ms", "--import.max-poll-interval=500ms",
                "--management.prometheus.metrics.export.pushgateway.enabled=true",
                "--management.prometheus.metrics.export.pushgateway.address=127.0.0.1:" + gatewayPort));
        args.addAll(List.of(more));
        return args;
    }

    private static String token(String name) {
        return "https://cvexports.blob.core.windows.net/exports/" + name
                + ".zip?sv=2021-08-06&se=2099-01-01T00%3A00%3A00Z&sr=b&sp=r&sig=Pu5h" + name.hashCode() + "%2B%3D";
    }

    private List<Push> withMetrics() {
        synchronized (pushes) {
            return pushes.stream().filter(push -> !push.samples().isEmpty()).toList();
        }
    }

    @Test
    void theRunsMetersArePushedWhenItEnds() throws Exception {
        Path input = dir.resolve("nightly.csv");
        Files.write(input, List.of("token,region,key", "\"" + token("a") + "\",westus2," + KEY,
                "\"" + token("b") + "\",westus2," + KEY, "\"" + token("c") + "\",eastus," + KEY,
                "\"" + token("invalid-d") + "\",westus2," + KEY));

        assertThat(JarProcess.run(dir, args("--input=" + input))).isEqualTo(3);

        assertThat(pushes).as("every push goes to the input's group").isNotEmpty()
                .allSatisfy(push -> assertThat(push.path()).isEqualTo(GROUP));
        List<Push> withMetrics = withMetrics();
        assertThat(withMetrics).as("one push carries the run's meters, the last one").hasSize(1);
        assertThat(pushes.get(pushes.size() - 1)).isSameAs(withMetrics.get(0));
        Push end = withMetrics.get(0);
        assertThat(end.method()).as("replaces the meters it names, keeps the group").isEqualTo("POST");
        assertThat(end.samples()).containsEntry("cvimport_rows{status=\"SUCCEEDED\"}", 3.0)
                .containsEntry("cvimport_rows{status=\"REJECTED\"}", 1.0)
                .containsEntry("cvimport_rows{status=\"PENDING\"}", 0.0)
                .containsEntry("cvimport_api_calls_total{operation=\"import\"}", 4.0)
                .containsEntry("cvimport_run_exit_code", 3.0)
                .containsKey("cvimport_api_throttled_total").containsKey("cvimport_run_end_time_seconds");
        assertThat(end.samples().get("cvimport_run_duration_seconds")).isPositive();
        assertThat(end.samples().keySet()).as("the run's own meters only").allMatch(name -> name.startsWith("cvimport_"));
        assertThat(end.body()).doesNotContain(KEY).doesNotContain("Pu5h");

        pushes.clear();
        assertThat(JarProcess.run(dir, args("--status"))).isZero();
        assertThat(JarProcess.run(dir, args("--input=" + input))).as("nothing to do").isEqualTo(3);
        assertThat(withMetrics()).as("commands that import nothing leave the last run's meters alone").isEmpty();
    }

    @Test
    void aGatewayThatCannotBeReachedChangesNoExitCode() throws Exception {
        Path input = dir.resolve("nightly.csv");
        Files.write(input, List.of("token,region,key", "\"" + token("e") + "\",westus2," + KEY));
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        assertThat(JarProcess.run(dir, argsTo(closedPort, "--input=" + input))).isZero();

        assertThat(JarProcess.lastOutput(dir)).contains("exit code 0")
                .contains("Unexpected exception thrown by POST of metrics to Prometheus Pushgateway");
    }
}
