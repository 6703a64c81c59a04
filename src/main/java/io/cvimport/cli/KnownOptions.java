package io.cvimport.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.apache.commons.text.similarity.LevenshteinDistance;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataRepository;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataRepositoryJsonBuilder;


/**
 * The options the job knows: its settings (every {@code @ConfigurationProperties} record) and its
 * command's options, read from the {@code META-INF/spring-configuration-metadata.json} that the
 * configuration processor writes at build time (the command's own come from
 * {@code additional-spring-configuration-metadata.json}). Nothing here is a list kept by hand.
 */
final class KnownOptions {

    static final String METADATA = "META-INF/spring-configuration-metadata.json";
    /** Spring Boot's own options, passed on unchecked: Boot knows them, and so do its own error messages. */
    private static final List<String> BOOT_PREFIXES = List.of("spring.", "logging.", "management.");
    private static final List<String> BOOT_SWITCHES = List.of("debug", "trace");
    private static final int FARTHEST_SUGGESTION = 3;
    private static final String NESTED = "jar:nested:";

    private final Map<String, KnownOption> byName;
    private final Map<String, String> groups;

    private KnownOptions(Map<String, KnownOption> byName, Map<String, String> groups) {
        this.byName = byName;
        this.groups = groups;
    }

    /** This application's metadata: the copy on the class path beside this class, not a library's. */
    static KnownOptions load() {
        String self = String.valueOf(KnownOptions.class.getResource("KnownOptions.class"));
        String classes = self.substring(0, self.length() - (KnownOptions.class.getName().replace('.', '/') + ".class")
                .length());
        // Run from its jar, the classes are in jar:nested:/…/app.jar/!BOOT-INF/classes/!/, and Boot's repackaging
        // puts their META-INF at the jar's root (jar:file:/…/app.jar!/); run from a build, both are one directory.
        String root = classes.startsWith(NESTED) ? "jar:file:" + classes.substring(NESTED.length(),
                classes.indexOf("/!")) + "!/" : classes;
        List<URL> found;
        try {
            found = Collections.list(KnownOptions.class.getClassLoader().getResources(METADATA));
            for (URL url : found) {
                if (url.toString().startsWith(root)) {
                    try (InputStream in = url.openStream()) {
                        return read(in);
                    }
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read the job's configuration metadata", e);
        }
        throw new IllegalStateException("the job's configuration metadata is not beside its classes (" + root + "): "
                + found);
    }

    /** With Boot's own reader of the metadata (small: Jackson's start alone costs more than the whole check). */
    static KnownOptions read(InputStream metadata) throws IOException {
        ConfigurationMetadataRepository repository = ConfigurationMetadataRepositoryJsonBuilder.create(metadata)
                .build();
        Map<String, String> groups = new LinkedHashMap<>();
        Map<String, String> sourceOf = new HashMap<>();
        repository.getAllGroups().values().forEach(group -> group.getSources().values().forEach(source -> {
            groups.put(source.getType(), source.getGroupId());
            source.getProperties().keySet().forEach(name -> sourceOf.put(name, source.getType()));
        }));
        Map<String, KnownOption> byName = new TreeMap<>();
        repository.getAllProperties().values().forEach(property -> byName.put(property.getId(),
                new KnownOption(property.getId(), property.getType(),
                        property.getDescription() == null ? "" : property.getDescription(),
                        property.getDefaultValue() == null ? null : String.valueOf(property.getDefaultValue()),
                        sourceOf.get(property.getId()))));
        return new KnownOptions(byName, groups);
    }

    List<KnownOption> all() {
        return List.copyOf(byName.values());
    }

    /** The records that bind the job's settings, by class name, each with its prefix. */
    Map<String, String> groups() {
        return groups;
    }

    /** Boot's own, left to Boot. */
    static boolean isBoots(String given) {
        String name = given.toLowerCase(Locale.ROOT);
        return BOOT_SWITCHES.contains(name) || BOOT_PREFIXES.stream().anyMatch(name::startsWith);
    }

    /**
     * The option a name given on the command line binds, in the spellings Spring Boot binds
     * ({@code import.ratePerTarget}, any case); a key below a map, an index of a list.
     */
    Optional<KnownOption> find(String given) {
        String wanted = relaxed(given);
        for (KnownOption option : byName.values()) {
            String name = relaxed(option.name());
            if (wanted.equals(name)
                    || option.keyed() && wanted.length() > name.length() + 1 && wanted.startsWith(name)
                            && (wanted.charAt(name.length()) == '.' || wanted.charAt(name.length()) == '[')
                    || option.repeatable() && wanted.matches(java.util.regex.Pattern.quote(name) + "\\[\\d+\\]")) {
                return Optional.of(option);
            }
        }
        return Optional.empty();
    }

    /**
     * The known option nearest to a name the job does not know, as it would be typed, or null when
     * none is near: edit distance (a typo), or the name under a group's prefix ({@code --endpoint}).
     */
    @Nullable String nearest(String given) {
        String wanted = given.toLowerCase(Locale.ROOT);
        LevenshteinDistance distance = new LevenshteinDistance(FARTHEST_SUGGESTION);
        record Candidate(String typed, int distance) {
        }
        List<Candidate> candidates = new ArrayList<>();
        for (KnownOption option : byName.values()) {
            String name = option.name();
            if (name.endsWith("." + wanted)) {
                candidates.add(new Candidate(name, 0));
                continue;
            }
            String compared = wanted;
            String rest = "";
            int segments = name.split("\\.").length;
            String[] parts = wanted.split("\\.", -1);
            if (option.keyed() && parts.length > segments) {
                compared = String.join(".", java.util.Arrays.copyOf(parts, segments));
                rest = wanted.substring(compared.length());
            }
            int d = distance.apply(compared, name);
            // Two edits for a short name, a quarter of a long one (three at most): "--foo" is near nothing.
            if (d >= 0 && d <= Math.max(2, compared.length() / 4)) {
                candidates.add(new Candidate(name + rest, d));
            }
        }
        return candidates.stream().min(Comparator.comparingInt(Candidate::distance)).map(Candidate::typed)
                .orElse(null);
    }

    /** Names as Spring Boot compares them: in any case, dashes ignored (ratePerTarget is rate-per-target). */
    private static String relaxed(String name) {
        return name.toLowerCase(Locale.ROOT).replace("-", "");
    }
}
