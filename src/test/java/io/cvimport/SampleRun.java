package io.cvimport;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import io.cvimport.emulator.CustomVisionEmulator;

/**
 * Runs the job on {@code sample-input/projects.csv} against the emulator, with no Azure
 * account: {@code ./mvnw spring-boot:test-run}. Extra arguments are passed on
 * ({@code -Dspring-boot.run.arguments="--report=out.csv"}); another input too
 * ({@code --input=sample-input/source-projects.csv}: rows that name their source projects,
 * which the emulator holds in its source resource). Its job repository is its own,
 * {@code data/} of the project, so that the demo never touches the operator's.
 */
public final class SampleRun {

    /** The sample's training keys, known to the emulator (the last row's key is not). */
    static final String[] SAMPLE_KEYS = { "5a1b2c3d4e5f60718293a4b5c6d7e8f9", "0f1e2d3c4b5a69788796a5b4c3d2e1f0" };
    /** The training key of the sample's source resource, and the projects it holds. */
    static final String SAMPLE_SOURCE_KEY = "9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a49";
    static final String[][] SAMPLE_SOURCE_PROJECTS = {
            { "3f6c2a1e-7b4d-4c8e-9a2f-1d5e6b7c8a90", "contoso-defects" },
            { "a84d1c7e-2f3b-4e9a-8c6d-5b7e9f0a1c2d", "fabrikam-parts" },
            { "c2e9f4a1-6d8b-4a3c-b7e5-0f1a2b3c4d5e", "tailspin-shelves" } };

    static final String SAMPLE_REPOSITORY = "data";

    /**
     * The same endpoint on every run: a target is its endpoint and key, and a row whose key
     * was refused is sent again once its target changes (the sample's last row).
     */
    static final int SAMPLE_PORT = 47311;

    private SampleRun() {
    }

    public static void main(String[] args) throws Exception {
        int code = run(args);
        // The job's exit code is in its summary; Maven is told the sample ran.
        System.out.println("(sample run against the emulator: the job exited with " + code + ")");
        System.exit(0);
    }

    /** Runs the job on the sample (or on the input given) against the emulator; returns its exit code. */
    static int run(String... args) throws Exception {
        int code;
        try (CustomVisionEmulator emulator = emulator().key(SAMPLE_KEYS).key(SAMPLE_SOURCE_KEY)
                .importDelay(Duration.ofSeconds(2), Duration.ofSeconds(1))) {
            for (int i = 0; i < SAMPLE_SOURCE_PROJECTS.length; i++) {
                emulator.sourceProject(SAMPLE_SOURCE_KEY, UUID.fromString(SAMPLE_SOURCE_PROJECTS[i][0]),
                        SAMPLE_SOURCE_PROJECTS[i][1], 3 + i, 40 + 10 * i, 2, i);
            }
            List<String> all = new ArrayList<>(List.of("--customvision.endpoint=" + emulator.endpoint()));
            if (Arrays.stream(args).noneMatch(a -> a.startsWith("--input="))) {
                all.add("--input=sample-input/projects.csv");
            }
            if (Arrays.stream(args).noneMatch(a -> a.startsWith("--repository=")
                    || a.startsWith("--spring.datasource.url="))) {
                all.add("--repository=" + SAMPLE_REPOSITORY);
            }
            all.addAll(List.of(args));
            all.stream().filter(a -> a.startsWith("--input=")).reduce((first, last) -> last)
                    .ifPresent(input -> ownerOnly(Path.of(input.substring("--input=".length()))));
            code = Application.run(all.toArray(String[]::new));
        }
        return code;
    }

    /**
     * The job warns about an input that others can read (it holds training keys), and a clone checks
     * the sample out readable by all: the sample's own files are made owner-only, as the job asks of
     * every input. Their keys are the emulator's.
     */
    private static void ownerOnly(Path input) {
        Path samples = Path.of("sample-input").toAbsolutePath().normalize();
        Path file = input.toAbsolutePath().normalize();
        if (file.startsWith(samples) && Files.isRegularFile(file)) {
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
            catch (IOException | UnsupportedOperationException e) {
                // Then the job's warning says what to do.
            }
        }
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
