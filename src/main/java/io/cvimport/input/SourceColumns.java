package io.cvimport.input;

/**
 * A row's source project, when it names one instead of holding a token: the source
 * resource's region and training key (literal or {@code env:NAME}) and the project's id.
 * Each is empty when the row (or the header) has none. {@link #toString()} never shows the key.
 */
public record SourceColumns(String region, String key, String projectId) {

    public static final SourceColumns NONE = new SourceColumns("", "", "");

    /** Whether the row names a source project at all (any of its columns filled). */
    public boolean named() {
        return !region.isEmpty() || !key.isEmpty() || !projectId.isEmpty();
    }

    /**
     * Whether the row names every project of its source resource: its source columns filled
     * but {@code projectId} empty or {@code *}.
     */
    public boolean wholeResource() {
        return !region.isEmpty() && !key.isEmpty() && (projectId.isEmpty() || projectId.equals("*"));
    }

    /** The same source resource, naming one of its projects. */
    public SourceColumns project(String id) {
        return new SourceColumns(region, key, id);
    }

    @Override
    public String toString() {
        return "SourceColumns[" + region + "/" + projectId + "]";
    }
}
