package io.cvimport.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RepositoryDirectoryTest {

    @Test
    void theOptionWinsOverTheVariableWhichWinsOverTheStateDirectory() {
        Map<String, String> all = Map.of("CVIMPORT_REPOSITORY", "/srv/cvimport", "XDG_STATE_HOME", "/x/state",
                "HOME", "/home/op");
        assertThat(RepositoryDirectory.resolve("/opt/repo", all, "/ignored"))
                .isEqualTo(new RepositoryDirectory(Path.of("/opt/repo"), "--repository"));
        assertThat(RepositoryDirectory.resolve(null, all, "/ignored"))
                .isEqualTo(new RepositoryDirectory(Path.of("/srv/cvimport"), "CVIMPORT_REPOSITORY"));
        assertThat(RepositoryDirectory.resolve(null, Map.of("XDG_STATE_HOME", "/x/state", "HOME", "/home/op"), null))
                .isEqualTo(new RepositoryDirectory(Path.of("/x/state/customvision-import"),
                        "$XDG_STATE_HOME/customvision-import"));
        assertThat(RepositoryDirectory.resolve(null, Map.of("HOME", "/home/op"), "/ignored").path())
                .isEqualTo(Path.of("/home/op/.local/state/customvision-import"));
    }

    @Test
    void aRelativeOrEmptyStateHomeIsIgnoredAndAMissingHomeFallsBackToTheUsersHome() {
        assertThat(RepositoryDirectory.resolve(null, Map.of("XDG_STATE_HOME", "state", "HOME", "/home/op"), null)
                .path()).isEqualTo(Path.of("/home/op/.local/state/customvision-import"));
        assertThat(RepositoryDirectory.resolve(null, Map.of("XDG_STATE_HOME", "", "CVIMPORT_REPOSITORY", " "),
                "/home/pw").path()).isEqualTo(Path.of("/home/pw/.local/state/customvision-import"));
        assertThatIllegalArgumentException().isThrownBy(() -> RepositoryDirectory.resolve(null, Map.of(), null))
                .withMessageContaining("--repository=DIR");
    }

    @Test
    void aRelativeDirectoryIsTheWorkingDirectorysAndUnusableOnesAreRefused() {
        assertThat(RepositoryDirectory.resolve("data", Map.of(), null).path())
                .isEqualTo(Path.of("data").toAbsolutePath());
        assertThatIllegalArgumentException().isThrownBy(() -> RepositoryDirectory.resolve("", Map.of(), "/h"))
                .withMessageContaining("--repository needs a directory");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RepositoryDirectory.resolve(null, Map.of("CVIMPORT_REPOSITORY", "/a;b"), "/h"))
                .withMessageContaining("';'");
    }
}
