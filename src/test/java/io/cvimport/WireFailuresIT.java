package io.cvimport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cvimport.emulator.CustomVisionEmulator;
import io.cvimport.emulator.SelfSignedCertificate;

/**
 * What the bytes on the wire prove, over https with a self-signed certificate that the
 * child JVM trusts through the JVM's standard trust-store options: an import performed
 * and then broken off while its answer is read is reconciled from the project list and
 * never sent twice (one answered 503 after the work is a job test: ImportJobTest); an
 * untrusted certificate keeps every row open and
 * the same command finishes them once the CA is trusted; a project made by someone else
 * after a lost import's window is never adopted.
 */
class WireFailuresIT {

    static final String[] KEYS = { "71717171717171717171717171717171", "72727272727272727272727272727272",
            "73737373737373737373737373737373" };

    @TempDir
    Path dir;

    CustomVisionEmulator emulator;
    SelfSignedCertificate certificate;

    @BeforeEach
    void start() throws Exception {
        certificate = SelfSignedCertificate.createIn(dir.resolve("tls"));
        emulator = new CustomVisionEmulator().key(KEYS).importDelay(Duration.ofMillis(300), Duration.ofMillis(300));
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    static String token(String name) {
        return "https://cvexports.blob.core.windows.net/exports/" + name
                + ".zip?sv=2021-08-06&se=2099-01-01T00%3A00%3A00Z&sr=b&sp=r&sig=W1r3" + name.hashCode() + "%2B%3D";
    }

    private Path input(String name, String prefix, int count) throws Exception {
        List<String> lines = new ArrayList<>(List.of("token,region,key"));
        for (int i = 0; i < count; i++) {
            lines.add("\"" + token(prefix + i) + "\",westus2," + KEYS[i % KEYS.length]);
        }
        Path file = dir.resolve(name);
        Files.write(file, lines);
        return file;
    }

    private List<String> args(Path input, String... more) {
        List<String> args = new ArrayList<>(List.of("--input=" + input, "--customvision.endpoint=" + emulator.endpoint(),
                "--import.poll-interval=200ms", "--import.max-poll-interval=500ms", "--import.in-doubt-grace=500ms",
                "--import.lock-ttl=3s",
                "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("db/repository") + ";AUTO_SERVER=TRUE"));
        args.addAll(List.of(more));
        return args;
    }

    private JarProcess run(List<String> jvmOptions, List<String> args) throws Exception {
        JarProcess process = JarProcess.start(dir, jvmOptions, args, Map.of());
        process.waitFor(240);
        return process;
    }

    private Path reportPath() throws Exception {
        return Files.list(dir.resolve("reports")).sorted().reduce((a, b) -> b).orElseThrow();
    }

    private List<String> report() throws Exception {
        return Files.readAllLines(reportPath());
    }

    private void assertEachImportedOnce(String prefix, int count) {
        for (int i = 0; i < count; i++) {
            assertThat(emulator.importsOf(KEYS[i % KEYS.length], token(prefix + i))).as("imports of row %d", i + 1)
                    .isEqualTo(1);
        }
    }

    @Test
    void anImportBrokenOffWhileItsAnswerIsReadIsReconciledNotRejected() throws Exception {
        emulator.https(certificate.serverContext()).resetAfterWork(0.25);
        Path input = input("reset.csv", "reset-", 24);

        JarProcess run = run(certificate.trustOptions(), args(input));

        assertThat(emulator.lostAnswers()).as("connections broken after the work").isPositive();
        assertThat(run.output()).doesNotContain("TlsFailed");
        assertEachImportedOnce("reset-", 24);
        assertReconciledTruthfully(run, "reset-", 24);
    }

    /**
     * Every row has its own project: SUCCEEDED with exactly the project its token made (each
     * lost answer is the only import of unknown outcome on its resource). Never IN_DOUBT,
     * never REJECTED, never another's.
     */
    private void assertReconciledTruthfully(JarProcess run, String prefix, int count) throws Exception {
        Map<Integer, org.apache.commons.csv.CSVRecord> rows = new java.util.HashMap<>();
        try (var parser = org.apache.commons.csv.CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
                .get().parse(Files.newBufferedReader(reportPath()))) {
            parser.forEach(r -> rows.put(Integer.parseInt(r.get("row")), r));
        }
        assertThat(rows).hasSize(count);
        int inDoubt = 0;
        for (int i = 0; i < count; i++) {
            String own = emulator.projectIdsOf(KEYS[i % KEYS.length], token(prefix + i)).get(0);
            var row = rows.get(i + 1);
            if (row.get("status").equals("IN_DOUBT")) {
                inDoubt++;
                assertThat(row.get("candidates")).as("row %d", i + 1).contains(own);
            }
            else {
                assertThat(row.get("status")).as("row %d", i + 1).isEqualTo("SUCCEEDED");
                assertThat(row.get("projectId")).as("row %d", i + 1).isEqualTo(own);
            }
        }
        System.out.printf("%s: %d rows, %d answers lost after the work, %d adopted, %d IN_DOUBT, 0 duplicates%n",
                prefix, count, emulator.lostAnswers(), emulator.lostAnswers() - inDoubt, inDoubt);
        assertThat(inDoubt).as("rows IN_DOUBT").isZero();
        assertThat(run.waitFor(1)).as(run.output()).isEqualTo(0);
    }

    @Test
    void anUntrustedCertificateKeepsRowsOpenAndTheSameCommandFinishesThemOnceTrusted() throws Exception {
        emulator.https(certificate.serverContext());
        Path input = input("untrusted.csv", "untrusted-", 12);

        JarProcess first = run(List.of(), args(input));

        String output = first.output();
        assertThat(first.waitFor(1)).as(output).isEqualTo(1);
        assertThat(emulator.imports()).isZero();
        assertThat(output).contains(emulator.endpoint() + ": the server's certificate is not trusted (PKIX); add its"
                + " CA to a trust store and pass -Djavax.net.ssl.trustStore=").doesNotContain("\tat ")
                .doesNotContain("REJECTED").doesNotContain("TlsFailed").containsPattern("PENDING +12");
        assertThat(output.lines().filter(l -> l.contains("not trusted (PKIX)")).count()).as(output).isEqualTo(1);

        JarProcess second = run(certificate.trustOptions(), args(input));

        assertThat(second.waitFor(1)).as(second.output()).isZero();
        assertEachImportedOnce("untrusted-", 12);
        assertThat(report()).hasSize(13).filteredOn(l -> l.contains(",SUCCEEDED,")).hasSize(12);
    }

    /**
     * A run is killed while its import waits, unperformed, at the service; someone else then
     * makes a project in the target after everything that import could have done. The next
     * run must not take that project for the lost import's: it sends the import.
     */
    @Test
    void aProjectMadeBySomeoneElseAfterALostImportsWindowIsNotAdopted() throws Exception {
        Path input = input("window.csv", "window-", 1);
        List<String> args = args(input, "--customvision.connect-timeout=1s", "--customvision.response-timeout=5s",
                "--import.clock-skew=1s");
        emulator.holdImports();
        JarProcess killed = JarProcess.start(dir, List.of(), args, Map.of());
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (emulator.heldImports() == 0 && System.nanoTime() < deadline && killed.isAlive()) {
            Thread.sleep(20);
        }
        assertThat(emulator.heldImports()).as(killed.output()).isEqualTo(1);
        killed.kill9();
        emulator.dropHeldImports();
        // Past sent time + the request's lifetime (connect + 2 x response timeout: the connection,
        // the TLS handshake, the answer) + clock tolerance, with a margin.
        Thread.sleep(1_000 + 2 * 5_000 + 1_000 + 2_000);
        String foreign = emulator.createForeignProject(KEYS[0]).id();

        JarProcess resumed = run(List.of(), args);

        assertThat(resumed.waitFor(1)).as(resumed.output()).isZero();
        List<String> report = report();
        assertThat(report).hasSize(2);
        assertThat(report.get(1)).startsWith("1,SUCCEEDED,").doesNotContain(foreign);
        assertThat(emulator.importsOf(KEYS[0], token("window-0"))).isEqualTo(1);
    }
}
