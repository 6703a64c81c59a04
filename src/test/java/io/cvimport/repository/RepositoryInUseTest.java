package io.cvimport.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class RepositoryInUseTest {

    @TempDir
    Path dir;

    private StandardEnvironment environment(@Nullable String option) {
        StandardEnvironment environment = new StandardEnvironment();
        ConfigurationPropertySources.attach(environment);
        environment.getPropertySources().addLast(new DefaultRepository(environment, option, null,
                Map.of("HOME", dir.toString()), dir.resolve("cwd")));
        return environment;
    }

    @Test
    void theDefaultIsNamedWithTheSettingItCameFrom() {
        assertThat(RepositoryInUse.describe(environment(null))).isEqualTo(
                dir.resolve(".local/state/customvision-import/customvision-import.mv.db") + " (per-user default)");
    }

    @Test
    void anUnusableDirectoryStopsTheStartInsteadOfLeavingNoUrl() {
        assertThatIllegalArgumentException().isThrownBy(() -> RepositoryInUse.describe(environment("")))
                .withMessageContaining("--repository needs a directory");
    }

    @Test
    void aUrlGivenElsewhereWinsAndTheDefaultIsNeverDecided() {
        StandardEnvironment environment = environment("");
        environment.getPropertySources().addFirst(new MapPropertySource("test",
                Map.of("spring.datasource.url", "jdbc:postgresql://db/cv?password=x")));
        assertThat(RepositoryInUse.describe(environment))
                .isEqualTo("jdbc:postgresql://db/cv?password=*** (spring.datasource.url)");
        assertThat(dir.resolve(".local")).doesNotExist();
    }

    @Test
    void anH2FileIsNamedByItsPath() {
        assertThat(RepositoryInUse.readable("jdbc:h2:file:/var/lib/cv/customvision-import;AUTO_SERVER=TRUE"))
                .isEqualTo("/var/lib/cv/customvision-import.mv.db");
        assertThat(RepositoryInUse.readable("jdbc:h2:file:./data/x"))
                .isEqualTo(Path.of("data/x.mv.db").toAbsolutePath().toString());
    }

    @Test
    void otherUrlsAreShownWithoutTheirPassword() {
        assertThat(RepositoryInUse.readable("jdbc:postgresql://db:5432/cvimport?user=cv&password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/cvimport?user=cv&password=***&ssl=true");
        assertThat(RepositoryInUse.readable("jdbc:postgresql://cv:s3cret@db/cvimport"))
                .isEqualTo("jdbc:postgresql://cv:***@db/cvimport");
        assertThat(RepositoryInUse.readable("jdbc:h2:tcp://db/x;USER=sa;PASSWORD=s3cret"))
                .isEqualTo("jdbc:h2:tcp://db/x;USER=sa;PASSWORD=***");
        assertThat(RepositoryInUse.readable("jdbc:h2:mem:test")).isEqualTo("jdbc:h2:mem:test");
    }
}
