package io.cvimport;

import java.io.IOException;
import java.net.BindException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.cvimport.emulator.CustomVisionEmulator;

/**
 * Runs the job on {@code sample-input/projects.csv} against the emulator, with no Azure
 * account: {@code ./mvnw spring-boot:test-run}. Extra arguments are passed on
 * ({@code -Dspring-boot.run.arguments="--report=out.csv"}). Its job repository is its own,
 * {@code data/} of the project, so that the demo never touches the operator's.
 */
public final class SampleRun {

    /** The sample's training keys, known to the emulator (the last row's key is not). */
    static final String[] SAMPLE_KEYS = { "5a1b2c3d4e5f60718293a4b5c6d7e8f9", "0f1e2d3c4b5a69788796a5b4c3d2e1f0" };

    static final String SAMPLE_REPOSITORY = "data";

    /**
     * The same endpoint on every run: a target is its endpoint and key, and a row whose key
     * was refused is sent again once its target changes (the sample's last row).
     */
    static final int SAMPLE_PORT = 47311;

    private SampleRun() {
    }

    public static void main(String[] args) throws Exception {
        int code;
        try (CustomVisionEmulator emulator = emulator().key(SAMPLE_KEYS)
                .importDelay(Duration.ofSeconds(2), Duration.ofSeconds(1))) {
            List<String> all = new ArrayList<>(List.of("--input=sample-input/projects.csv",
                    "--customvision.endpoint=" + emulator.endpoint()));
            if (Arrays.stream(args).noneMatch(a -> a.startsWith("--repository=")
                    || a.startsWith("--spring.datasource.url="))) {
                all.add("--repository=" + SAMPLE_REPOSITORY);
            }
            all.addAll(List.of(args));
            code = Application.run(all.toArray(String[]::new));
        }
        // The job's exit code is in its summary; Maven is told the sample ran.
        System.out.println("(sample run against the emulator: the job exited with " + code + ")");
        System.exit(0);
    }

    private static CustomVisionEmulator emulator() throws IOException {
        try {
            return new CustomVisionEmulator(SAMPLE_PORT);
        }
        catch (BindException busy) {
            return new CustomVisionEmulator();
        }
    }
}
