package io.cvimport.imports.engine;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import io.cvimport.customvision.ApiError;
import io.cvimport.customvision.ApiResult;
import io.cvimport.customvision.CustomVisionApi;
import io.cvimport.customvision.Failure;
import io.cvimport.customvision.Project;
import io.cvimport.customvision.ProjectCount;
import io.cvimport.customvision.ProjectExport;
import io.cvimport.customvision.ProjectStatus;
import io.cvimport.customvision.TargetResource;

/**
 * The service, answered in memory on the fake clocks: imports make projects that leave
 * Importing {@link #importTakes} later; each call is logged with the time it was made. A
 * test may script an import's answer by token ({@link #answers}).
 */
public final class FakeService implements CustomVisionApi {

    enum Kind { IMPORT, LIST, GET }

    record Call(Kind kind, long nanos, @Nullable String token) {
    }

    private record Made(Project project, long doneAtNanos) {
    }

    private final FakeClocks clock;
    final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, Made> projects = new ConcurrentHashMap<>();
    private final Map<String, Integer> importsByToken = new ConcurrentHashMap<>();
    volatile Duration importTakes = Duration.ofSeconds(2);
    /** A scripted answer for an import of this token, or null to import it. */
    public volatile Function<String, @Nullable ApiResult<Project>> answers = token -> null;

    public FakeService(FakeClocks clock) {
        this.clock = clock;
    }

    @Override
    public Duration requestLifetime() {
        return Duration.ofSeconds(10);
    }

    @Override
    public ApiResult<Project> importProject(URI endpoint, String key, String token) {
        calls.add(new Call(Kind.IMPORT, clock.nanos(), token));
        ApiResult<Project> scripted = answers.apply(token);
        return scripted != null ? scripted : new ApiResult.Ok<>(make(token));
    }

    /** Performs the import of this token (for a script that then loses its answer). */
    Project make(String token) {
        importsByToken.merge(token, 1, Integer::sum);
        Project project = new Project(UUID.randomUUID().toString(), token, ProjectStatus.IMPORTING, "Importing",
                Instant.ofEpochMilli(clock.millis()));
        projects.put(project.id(), new Made(project, clock.nanos() + importTakes.toNanos()));
        return project;
    }

    static ApiResult<Project> throttled(Duration retryAfter) {
        return new ApiResult.Failed<>(Failure.RETRYABLE, new ApiError(429, "429", "Too Many Requests"), retryAfter);
    }

    static ApiResult<Project> lost() {
        return new ApiResult.Failed<>(Failure.UNCERTAIN, new ApiError(0, "ConnectionReset", "the answer was lost"),
                null);
    }

    @Override
    public ApiResult<Project> getProject(URI endpoint, String key, String projectId) {
        calls.add(new Call(Kind.GET, clock.nanos(), null));
        Made made = projects.get(projectId);
        return made == null ? new ApiResult.Failed<>(Failure.TERMINAL, new ApiError(404, "NotFound", "no such project"),
                null) : new ApiResult.Ok<>(now(made));
    }

    @Override
    public ApiResult<List<Project>> getProjects(URI endpoint, String key) {
        calls.add(new Call(Kind.LIST, clock.nanos(), null));
        List<Project> all = new ArrayList<>();
        projects.values().forEach(made -> all.add(now(made)));
        return new ApiResult.Ok<>(all);
    }

    /** The engine makes no export yet: a call here is an error of the test, to be seen at once. */
    @Override
    public ApiResult<ProjectExport> exportProject(TargetResource source, String projectId) {
        throw new UnsupportedOperationException("no export in this fake");
    }

    @Override
    public ApiResult<Integer> count(TargetResource resource, String projectId, ProjectCount what) {
        throw new UnsupportedOperationException("no counts in this fake");
    }

    private Project now(Made made) {
        Project p = made.project();
        return clock.nanos() < made.doneAtNanos() ? p
                : new Project(p.id(), p.name(), ProjectStatus.SUCCEEDED, "Succeeded", p.created());
    }

    int importsOf(String token) {
        return importsByToken.getOrDefault(token, 0);
    }

    List<Long> times(Kind kind) {
        return calls.stream().filter(call -> call.kind() == kind).map(Call::nanos).toList();
    }
}
