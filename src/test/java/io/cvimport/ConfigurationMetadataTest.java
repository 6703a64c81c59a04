package io.cvimport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The option tables of the README and of docs/ against the configuration metadata that the build generates
 * from the properties records (and Boot's own, for {@code spring.*}): an option the README
 * names that no code declares, a setting the README leaves out, or a default that differs
 * fails here, so the two cannot drift apart.
 */
class ConfigurationMetadataTest {

    private static final String METADATA = "META-INF/spring-configuration-metadata.json";
    /** The configuration reference, whose option tables name every setting. */
    /** The first cell of an option row: {@code | `--import.window=` | ...}, maybe two options in one cell. */
    private static final Pattern OPTION = Pattern.compile("`--([a-z0-9.\\-]+?)(\\.<[^>]*>)?(=[^`]*)?`");

    /** Every property on the class path, by name; ours are those whose source is io.cvimport (or no class). */
    private static final Map<String, JsonNode> all = new HashMap<>();
    private static final Map<String, List<JsonNode>> ours = new LinkedHashMap<>();
    private static final List<ReferenceOption> reference = new ArrayList<>();

    record ReferenceOption(String name, boolean keyed, String defaultCell, String line) {
    }

    @BeforeAll
    static void read() throws IOException {
        JsonMapper json = JsonMapper.builder().build();
        for (URL url : Collections.list(ConfigurationMetadataTest.class.getClassLoader().getResources(METADATA))) {
            try (InputStream in = url.openStream()) {
                for (JsonNode property : json.readTree(in).path("properties")) {
                    String name = property.path("name").asString();
                    all.putIfAbsent(name, property);
                    String source = property.path("sourceType").asString("");
                    if (source.isEmpty() ? url.getPath().contains("/target/classes/")
                            : source.startsWith("io.cvimport.")) {
                        ours.computeIfAbsent(name, n -> new ArrayList<>()).add(property);
                    }
                }
            }
        }
        List<String> lines = new ArrayList<>(Files.readAllLines(Path.of("README.md"), StandardCharsets.UTF_8));
        try (var docs = Files.list(Path.of("docs"))) {
            for (Path doc : docs.filter(path -> path.toString().endsWith(".md")).sorted().toList()) {
                lines.addAll(Files.readAllLines(doc, StandardCharsets.UTF_8));
            }
        }
        for (String line : lines) {
            if (!line.startsWith("| `--")) {
                continue;
            }
            String[] cells = line.split("\\|");
            Matcher option = OPTION.matcher(cells[1]);
            while (option.find()) {
                reference.add(new ReferenceOption(option.group(1), option.group(2) != null,
                        cells.length > 3 ? cells[3].trim() : "", line));
            }
        }
    }

    @Test
    void theBuildGeneratesMetadataForTheRecords() {
        assertThat(ours).containsKeys("import.window", "import.lock-ttl", "import.repository-outage-tolerance",
                "import.progress-every", "customvision.endpoint", "metrics.textfile");
        assertThat(reference).hasSizeGreaterThan(30);
    }

    @Test
    void everyOptionOfTheReferenceIsDeclared() {
        for (ReferenceOption option : reference) {
            JsonNode property = all.get(option.name());
            assertThat(property).as("reference option --%s has no configuration metadata", option.name()).isNotNull();
            if (option.keyed()) {
                assertThat(property.path("type").asString()).as(option.line()).startsWith("java.util.Map<");
            }
        }
    }

    @Test
    void everySettingOfOursIsInTheReferenceWithItsDefault() {
        Map<String, ReferenceOption> documented = new HashMap<>();
        reference.forEach(option -> documented.put(option.name(), option));
        ours.forEach((name, declared) -> {
            ReferenceOption option = documented.get(name);
            assertThat(option).as("setting %s is not in the reference's option tables", name).isNotNull();
            JsonNode defaultValue = declared.get(0).path("defaultValue");
            if (!defaultValue.isMissingNode() && !(defaultValue.isArray() && defaultValue.isEmpty())) {
                assertThat(option.defaultCell()).as("the reference's default of --%s", name)
                        .contains("`" + defaultValue.asString() + "`");
            }
        });
    }

    @Test
    void everySettingOfOursIsDescribedAndDeclaredOnce() {
        ours.forEach((name, declared) -> {
            // Several records share the import prefix: none may bind a name another one binds.
            assertThat(declared).as("%s declared by more than one record", name).hasSize(1);
            assertThat(declared.get(0).path("description").asString("")).as("description of %s", name)
                    .isNotBlank().doesNotContain("{@");
        });
    }
}
