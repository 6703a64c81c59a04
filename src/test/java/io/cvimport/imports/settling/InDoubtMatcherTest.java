package io.cvimport.imports.settling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.cvimport.customvision.Project;
import io.cvimport.customvision.ProjectStatus;

class InDoubtMatcherTest {

    private static Instant at(long millis) {
        return Instant.ofEpochMilli(millis);
    }

    private static Project project(String id, long createdMillis) {
        return new Project(id, id, ProjectStatus.IMPORTING, "Importing", at(createdMillis));
    }

    private static InDoubtMatcher.Window window(long row, long from, long to) {
        return new InDoubtMatcher.Window(row, at(from), at(to));
    }

    @Test
    void oneProjectInOneWindowIsAdopted() {
        var result = InDoubtMatcher.match(List.of(window(1, 100, 200)), List.of(project("p", 150), project("old", 50)));
        assertThat(result.adopted()).containsOnlyKeys(1L);
        assertThat(result.adopted().get(1L).id()).isEqualTo("p");
    }

    @Test
    void disjointWindowsEachAdoptTheirOwn() {
        var result = InDoubtMatcher.match(List.of(window(1, 100, 200), window(2, 300, 400)),
                List.of(project("a", 350), project("b", 150)));
        assertThat(result.adopted().get(1L).id()).isEqualTo("b");
        assertThat(result.adopted().get(2L).id()).isEqualTo("a");
        assertThat(result.ambiguous()).isEmpty();
    }

    @Test
    void overlappingWindowsWithSharedCandidatesAreAmbiguous() {
        var result = InDoubtMatcher.match(List.of(window(1, 100, 300), window(2, 200, 400)),
                List.of(project("a", 250), project("b", 260)));
        assertThat(result.adopted()).isEmpty();
        assertThat(result.ambiguous()).containsOnlyKeys(1L, 2L);
    }

    @Test
    void aForcedAdoptionResolvesItsNeighbour() {
        // Row 1 can only have made "a"; once it owns "a", "b" is row 2's alone.
        var result = InDoubtMatcher.match(List.of(window(1, 100, 200), window(2, 150, 400)),
                List.of(project("a", 120), project("b", 300)));
        assertThat(result.adopted().get(1L).id()).isEqualTo("a");
        assertThat(result.adopted().get(2L).id()).isEqualTo("b");
    }

    @Test
    void twoCandidatesInOneWindowAreAmbiguous() {
        var result = InDoubtMatcher.match(List.of(window(1, 100, 200)), List.of(project("a", 120), project("b", 130)));
        assertThat(result.adopted()).isEmpty();
        assertThat(result.ambiguous().get(1L)).extracting(Project::id).containsExactly("a", "b");
    }

    @Test
    void nothingInTheWindow() {
        var result = InDoubtMatcher.match(List.of(window(1, 100, 200)), List.of(project("a", 500)));
        assertThat(result.noCandidate()).containsExactly(1L);
    }
}
