package io.cvimport.customvision;

/**
 * A project to export from its source resource just before importing it: the resource
 * (its endpoint and training key) and the project's id. {@link #toString()} shows the
 * resource's fingerprint, never its key.
 */
public record SourceProject(TargetResource resource, String projectId) {

    @Override
    public String toString() {
        return resource + "/" + projectId;
    }
}
