package io.cvimport.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class RepositoryInUseTest {

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
