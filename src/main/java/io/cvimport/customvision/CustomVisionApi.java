package io.cvimport.customvision;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The calls the import makes to a target (and, for ExportProject, to a source), as typed results; {@link CustomVisionClient}
 * makes them over HTTP, a test may answer them itself.
 */
public interface CustomVisionApi {

    /** The longest a request can live on the wire (connect, then wait for the answer). */
    Duration requestLifetime();

    ApiResult<Project> importProject(URI endpoint, String key, String token);

    ApiResult<Project> getProject(URI endpoint, String key, String projectId);

    ApiResult<List<Project>> getProjects(URI endpoint, String key);

    /** ExportProject on the source resource: the project's counts and a token that imports it. */
    ApiResult<ProjectExport> exportProject(TargetResource source, String projectId);

    /** One of the reads that tell what a project holds (of its workspace: no iteration is named). */
    ApiResult<Integer> count(TargetResource resource, String projectId, ProjectCount what);

    /** GetTags: how many tags the project has. */
    default ApiResult<Integer> tags(TargetResource resource, String projectId) {
        return count(resource, projectId, ProjectCount.TAGS);
    }
}
