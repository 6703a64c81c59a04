package io.cvimport.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.cvimport.imports.ImportProperties;

/** The command line check on its own: which names it knows, what it suggests, how it words a bad value. */
class CommandLineCheckTest {

    static final KnownOptions KNOWN = KnownOptions.load();

    @TempDir
    Path dir;

    record Answer(OptionalInt code, String out, String err) {
    }

    private Answer answer(Map<String, String> environment, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        OptionalInt code = CommandLineCheck.answer(args, environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Answer(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Answer answer(String... args) {
        return answer(Map.of(), args);
    }

    private String input() throws Exception {
        return "--input=" + Files.writeString(dir.resolve("in.csv"), "token,region,key\n");
    }

    @Test
    void everyRecordOfSettingsAndEveryCommandOptionIsKnown() {
        assertThat(KNOWN.groups()).containsKeys("io.cvimport.imports.ImportProperties",
                "io.cvimport.customvision.CustomVisionProperties", "io.cvimport.scale.ScaleProperties",
                "io.cvimport.metrics.MetricsProperties", "io.cvimport.plan.PlanProperties");
        for (String name : new String[] { "input", "report", "status", "report-of", "repository", "plan", "stop",
                "help", "version", "import.timeout", "import.rate-per-target", "customvision.endpoint",
                "scale.role", "metrics.textfile", "import.project-limit", "import.adopt" }) {
            assertThat(KNOWN.find(name)).as(name).isPresent();
        }
    }

    @Test
    void findsTheSpellingsSpringBootBinds() {
        assertThat(KNOWN.find("import.ratePerTarget")).get().extracting(KnownOption::name)
                .isEqualTo("import.rate-per-target");
        assertThat(KNOWN.find("IMPORT.TIMEOUT")).isPresent();
        assertThat(KNOWN.find("customvision.endpoints.westeurope")).get().extracting(KnownOption::name)
                .isEqualTo("customvision.endpoints");
        assertThat(KNOWN.find("import.rates[westus2]")).isPresent();
        assertThat(KNOWN.find("import.adopt[0]")).isPresent();
        assertThat(KNOWN.find("customvision.endpoints")).isPresent();
        assertThat(KNOWN.find("customvision.endpoints.")).as("a map's name needs a key after the dot").isEmpty();
        assertThat(KNOWN.find("customvision.endpont")).isEmpty();
        assertThat(KNOWN.find("import.timeout.extra")).isEmpty();
        assertThat(KnownOptions.isBoots("spring.datasource.url")).isTrue();
        assertThat(KnownOptions.isBoots("logging.level.root")).isTrue();
        assertThat(KnownOptions.isBoots("debug")).isTrue();
        assertThat(KnownOptions.isBoots("springs.x")).isFalse();
    }

    @Test
    void suggestsTheNearestKnownOptionOrNone() {
        assertThat(KNOWN.nearest("customvision.endpont")).isEqualTo("customvision.endpoint");
        assertThat(KNOWN.nearest("import.rate-per-targt")).isEqualTo("import.rate-per-target");
        assertThat(KNOWN.nearest("import.projct-limit")).isEqualTo("import.project-limit");
        assertThat(KNOWN.nearest("import-timeout")).isEqualTo("import.timeout");
        assertThat(KNOWN.nearest("endpoint")).as("a setting without its group").isEqualTo("customvision.endpoint");
        assertThat(KNOWN.nearest("customvision.endpoint.westus2")).isEqualTo("customvision.endpoints.westus2");
        assertThat(KNOWN.nearest("stpo")).isEqualTo("stop");
        assertThat(KNOWN.nearest("foo")).as("nothing is near").isNull();
        assertThat(KNOWN.nearest("no-such-option")).isNull();
    }

    @Test
    void anUnknownOptionIsRefusedNamingTheNearest() throws Exception {
        Answer answer = answer(input(), "--customvision.endpont=http://127.0.0.1:9");
        assertThat(answer.code()).hasValue(2);
        assertThat(answer.err()).startsWith("customvision-import: --customvision.endpont: unknown option;"
                + " did you mean --customvision.endpoint?\n");
        assertThat(answer.out()).isEmpty();
        assertThat(answer(input(), "--no-such-option=1").err())
                .startsWith("customvision-import: --no-such-option: unknown option\n");
        assertThat(answer(input(), "extra").err()).contains("unexpected argument extra");
    }

    @Test
    void aBadValueNamesTheOptionTheValueAndTheForm() throws Exception {
        assertThat(answer(input(), "--import.timeout=banana").err())
                .startsWith("customvision-import: --import.timeout=banana: not a duration (e.g. 30s, 5m, PT1H)\n");
        assertThat(answer(input(), "--import.rate-per-target=-1").err())
                .startsWith("customvision-import: --import.rate-per-target=-1: must be positive\n");
        assertThat(answer(input(), "--import.window=0").err()).contains("--import.window=0: must be positive");
        assertThat(answer(input(), "--import.rate-per-target=fast").err())
                .contains("--import.rate-per-target=fast: not a number");
        assertThat(answer(input(), "--import.verify=maybe").err()).contains("--import.verify=maybe: takes true or false");
        assertThat(answer(input(), "--scale.broker=cloud").err())
                .contains("--scale.broker=cloud: takes one of external, embedded");
        assertThat(answer(input(), "--import.rates.westus2=x").err()).contains("--import.rates.westus2=x: not a number");
        assertThat(answer(input(), "--import.partitions=0").err()).contains("--import.partitions=0: must be at least 1");
        assertThat(answer("--report-of=last").err()).contains("--report-of=last: not a whole number");
        assertThat(answer(input(), "--import.ratePerTarget=0").err()).as("the operator's spelling")
                .contains("--import.ratePerTarget=0: must be positive");
        assertThat(answer(input(), "--scale.broker=embedded").code()).as("a rule between two settings is Spring's,"
                + " which sees the environment and the files too").isEmpty();
    }

    @Test
    void goodValuesInEveryFormBootTakesPass() throws Exception {
        assertThat(answer(input(), "--import.timeout=PT1H", "--import.poll-interval=200ms", "--import.ratePerTarget=2.5",
                "--scale.broker-port=61617", "--customvision.endpoints.westus2=http://127.0.0.1:1",
                "--import.adopt=3:abc", "--import.adopt=4:def", "--spring.datasource.url=jdbc:h2:mem:x",
                "--logging.level.root=INFO", "--plan").code()).isEmpty();
        assertThat(answer("--scale.role=worker").code()).as("a worker reads no input").isEmpty();
        assertThat(answer(Map.of("SCALE_ROLE", "worker")).code()).isEmpty();
        assertThat(answer("--status").code()).isEmpty();
        assertThat(answer("--stop", "--input=/no/such/file.csv").code()).isEmpty();
    }

    @Test
    void aRunNeedsAnInputThatExists() {
        assertThat(answer("--import.timeout=5m").err()).startsWith("customvision-import: --input=FILE is required\n");
        Path missing = dir.resolve("missing.csv");
        assertThat(answer("--input=" + missing).err()).contains("input " + missing + " is missing or unreadable");
        assertThat(answer("--plan", "--input=" + dir).code()).hasValue(2);
    }

    @Test
    void helpAndVersionAreAnsweredWithExitZero() {
        Answer help = answer("-h");
        assertThat(help.code()).hasValue(0);
        assertThat(help.out()).contains("--import.timeout=DURATION  (default 30m)")
                .contains("--scale.role=single|manager|worker  (default single)")
                .contains("--customvision.endpoints.<KEY>=URL").contains("--import.adopt=VALUE[,...]")
                .contains("  --status\n").contains("--report-of=ID").contains("--repository=DIR")
                .contains("Options of import.*:").contains("Options of the command:");
        assertThat(help.out().lines()).allMatch(line -> line.length() <= 120);
        assertThat(answer("--help", "--no-such-option").code()).as("help wins").hasValue(0);
        Answer version = answer("--version");
        assertThat(version.code()).hasValue(0);
        assertThat(version.out()).startsWith("customvision-import ").contains("Java " + Runtime.version());
    }
}
