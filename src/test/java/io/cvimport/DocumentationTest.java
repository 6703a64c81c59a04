package io.cvimport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The README and docs/ as a reader meets them: the README an entry point whose two commands
 * are the ones CI and the sample run use, every relative link leading to a page and a
 * heading that exist, and no page pointing at the project's tracker or its review rounds,
 * which a reader of the docs cannot see. Pages named docs/incoming-*.md are other people's
 * drafts and left alone.
 */
class DocumentationTest {

    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern CODE_BLOCK = Pattern.compile("```\\n(.*?)```", Pattern.DOTALL);

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md"))
                    .filter(p -> !p.getFileName().toString().startsWith("incoming-")).sorted().forEach(pages::add);
        }
        return pages;
    }

    @Test
    void theReadmeIsAnEntryPointWithTheTwoCommands() throws IOException {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        assertThat(readme.lines().count()).as("lines of the README").isBetween(100L, 180L);
        String twoCommands = readme.substring(readme.indexOf("## The two commands"),
                readme.indexOf("\n## ", readme.indexOf("## The two commands") + 1));
        List<String> commands = new ArrayList<>();
        Matcher block = CODE_BLOCK.matcher(twoCommands);
        while (block.find()) {
            commands.add(block.group(1).strip());
        }
        assertThat(commands).containsExactly("./mvnw -q spring-boot:test-run", "./mvnw -B -ntp verify");
        assertThat(Files.readString(Path.of(".ci/run"), StandardCharsets.UTF_8)).contains("\n./mvnw -B -ntp verify\n");
        assertThat(Files.readString(Path.of("pom.xml"), StandardCharsets.UTF_8)).contains("spring-boot:test-run");
    }

    @Test
    void everyRelativeLinkLeadsToAPageAndAHeadingThatExist() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path page : pages()) {
            Matcher link = LINK.matcher(Files.readString(page, StandardCharsets.UTF_8));
            while (link.find()) {
                String target = link.group(1);
                if (target.matches("[a-z]+:.*")) {
                    continue;
                }
                String[] parts = target.split("#", 2);
                Path file = parts[0].isEmpty() ? page : page.resolveSibling(parts[0]).normalize();
                if (!Files.exists(file)) {
                    broken.add(page + ": " + target);
                }
                else if (parts.length == 2 && file.toString().endsWith(".md") && !anchors(file).contains(parts[1])) {
                    broken.add(page + ": " + target + " (no such heading)");
                }
            }
        }
        assertThat(broken).isEmpty();
    }

    @Test
    void noPageReferToTheTrackerOrToReviewRounds() throws IOException {
        Pattern tracker = Pattern.compile("(?i)\\bissues? ?#?\\d+|\\bthe issue'?s?\\b|\\breview");
        for (Path page : pages()) {
            List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
            assertThat(lines).as(page.toString()).noneMatch(line -> tracker.matcher(line).find());
        }
    }

    /** GitHub's anchors: headings lower-cased, punctuation dropped, spaces as dashes. */
    private static List<String> anchors(Path page) throws IOException {
        List<String> anchors = new ArrayList<>();
        boolean code = false;
        for (String line : Files.readAllLines(page, StandardCharsets.UTF_8)) {
            if (line.startsWith("```")) {
                code = !code;
            }
            if (!code && line.startsWith("#")) {
                anchors.add(line.replaceFirst("^#+\\s*", "").toLowerCase(Locale.ROOT)
                        .replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }
}
