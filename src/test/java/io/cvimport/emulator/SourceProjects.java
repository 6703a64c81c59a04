package io.cvimport.emulator;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The emulator's side of ExportProject: the source projects of each resource, the tokens
 * their exports minted (each a SAS-like URL whose {@code se=} is its expiry) and what the
 * projects imported from them hold, for the reads that verify them (GetTags,
 * GetTaggedImageCount, GetUntaggedImageCount, GetIterations). A quarter of a project's images
 * (rounded down) are untagged.
 * <p>
 * A minted token names its blob host {@link #HOST}; ImportProject refuses one it never
 * minted or whose expiry has passed, as the service does (BadRequestInvalidImportToken).
 * Its signature is hex, so it never carries the words that steer the emulator's imports.
 */
final class SourceProjects {

    static final String HOST = "cvemulatorexports.blob.core.windows.net";

    /** A source project as its resource keeps it. */
    record Source(String resource, String id, String name, int tags, int images, int iterations, int regions) {
    }

    /**
     * @param importTakes how long an import of this token takes: drawn at the export, and
     *                    announced as its {@code estimatedImportTimeInMS}, so that the estimate
     *                    tells the truth of this emulator's imports
     */
    private record Minted(Source source, Instant expiry, Duration importTakes) {
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Source> byResourceAndId = new ConcurrentHashMap<>();
    private final Map<String, Minted> minted = new ConcurrentHashMap<>();
    /** What each project holds, by id: the source projects and those imported from their tokens. */
    private final Map<String, Contents> contentsById = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> exportsByResource = new ConcurrentHashMap<>();
    private volatile Duration tokenLifetime = Duration.ofHours(24);
    private volatile int importedTagsDelta;
    private volatile int importedImagesDelta;

    /** What a project holds, as the verifying reads tell it. */
    private record Contents(int tags, int taggedImages, int untaggedImages, int iterations) {

        static Contents of(Source source, int tagsDelta, int imagesDelta) {
            int images = Math.max(0, source.images() + imagesDelta);
            return new Contents(Math.max(0, source.tags() + tagsDelta), images - images / 4, images / 4,
                    source.iterations());
        }
    }

    void importedTagsDelta(int delta) {
        this.importedTagsDelta = delta;
    }

    void importedImagesDelta(int delta) {
        this.importedImagesDelta = delta;
    }

    void tokenLifetime(Duration lifetime) {
        this.tokenLifetime = lifetime;
    }

    void add(Source source) {
        byResourceAndId.put(source.resource() + "\n" + source.id(), source);
        contentsById.put(source.id(), Contents.of(source, 0, 0));
    }

    /** Every token an export minted so far: a test looks for them where none may be. */
    List<String> mintedTokens() {
        return List.copyOf(minted.keySet());
    }

    long exports(String resource) {
        AtomicLong count = exportsByResource.get(resource);
        return count == null ? 0 : count.get();
    }

    /**
     * The ExportProject answer's body, or null when the resource holds no such project;
     * {@code importTakes} is how long the token's import will take, and its estimate.
     */
    String export(String resource, String projectId, Duration importTakes) {
        Source source = byResourceAndId.get(resource + "\n" + projectId);
        if (source == null) {
            return null;
        }
        exportsByResource.computeIfAbsent(resource, r -> new AtomicLong()).incrementAndGet();
        // The service's se= is to the second (rounded up here: a token lives at least its lifetime);
        // the emulator judges expiry by the same instant.
        Instant exact = Instant.now().plus(tokenLifetime);
        Instant expiry = exact.truncatedTo(ChronoUnit.SECONDS);
        expiry = expiry.equals(exact) ? expiry : expiry.plusSeconds(1);
        byte[] signature = new byte[32];
        random.nextBytes(signature);
        String token = "https://" + HOST + "/prjexp-" + source.id().replace("-", "")
                + "/project-export-info?sv=2020-08-04&sr=b&sig=" + HexFormat.of().formatHex(signature)
                + "&se=" + URLEncoder.encode(expiry.toString(), StandardCharsets.UTF_8) + "&sp=r";
        minted.put(token, new Minted(source, expiry, importTakes));
        return "{\"iterationCount\":" + source.iterations() + ",\"imageCount\":" + source.images()
                + ",\"tagCount\":" + source.tags() + ",\"regionCount\":" + source.regions()
                + ",\"estimatedImportTimeInMS\":" + importTakes.toMillis() + ",\"token\":\"" + token + "\"}";
    }

    /** How long an import of this token takes, as its export announced; null for a hand-made token. */
    Duration importTakes(String token) {
        Minted export = minted.get(token);
        return export == null ? null : export.importTakes();
    }

    /** Why ImportProject refuses this token (its message), or null when it may import it. */
    String refusal(String token) {
        if (!token.startsWith("https://" + HOST + "/")) {
            return null; // a hand-made test token: steered by its words, as before
        }
        Minted export = minted.get(token);
        if (export == null) {
            return "Invalid import token.";
        }
        return Instant.now().isBefore(export.expiry()) ? null : "The import token has expired.";
    }

    /**
     * The name an import of this token gets among the resource's projects: the source's,
     * with " (1)", " (2)"... when taken, or {@code fallback} for a hand-made token.
     */
    String nameFor(String token, List<CustomVisionEmulator.EmulatedProject> projects, String fallback) {
        Minted export = minted.get(token);
        if (export == null) {
            return fallback;
        }
        String name = export.source().name();
        for (int n = 1; taken(name, projects); n++) {
            name = export.source().name() + " (" + n + ")";
        }
        return name;
    }

    private static boolean taken(String name, List<CustomVisionEmulator.EmulatedProject> projects) {
        return projects.stream().anyMatch(p -> p.name().equals(name));
    }

    /** Records that a project was imported from this token: it carries its source's contents. */
    void imported(String token, String projectId) {
        Minted export = minted.get(token);
        if (export != null) {
            contentsById.put(projectId, Contents.of(export.source(), importedTagsDelta, importedImagesDelta));
        }
    }

    /**
     * The body of a verifying read ({@code what}: the path after the project's id), or null for
     * a path that is none of them.
     */
    String countJson(String projectId, String what) {
        Contents contents = contentsById.getOrDefault(projectId, new Contents(0, 0, 0, 0));
        return switch (what) {
            case "tags" -> tagsJson(projectId, contents.tags());
            case "images/tagged/count" -> String.valueOf(contents.taggedImages());
            case "images/untagged/count" -> String.valueOf(contents.untaggedImages());
            case "iterations" -> iterationsJson(projectId, contents.iterations());
            default -> null;
        };
    }

    private static String iterationsJson(String projectId, int count) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            json.append(i == 0 ? "" : ",").append("{\"id\":\"").append(java.util.UUID.nameUUIDFromBytes(
                    (projectId + "/iteration/" + i).getBytes(StandardCharsets.UTF_8))).append("\",\"name\":\"Iteration ")
                    .append(i + 1).append("\",\"status\":\"Completed\",\"projectId\":\"").append(projectId)
                    .append("\",\"exportable\":false}");
        }
        return json.append("]").toString();
    }

    /** GetTags' body for a project: as many tags as it carries (none for a hand-made token's). */
    private static String tagsJson(String projectId, int count) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            json.append(i == 0 ? "" : ",").append("{\"id\":\"").append(java.util.UUID.nameUUIDFromBytes(
                    (projectId + "/" + i).getBytes(StandardCharsets.UTF_8))).append("\",\"name\":\"tag-").append(i)
                    .append("\",\"description\":null,\"type\":\"Regular\",\"imageCount\":0}");
        }
        return json.append("]").toString();
    }
}
