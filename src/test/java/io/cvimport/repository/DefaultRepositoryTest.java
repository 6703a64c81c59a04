package io.cvimport.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.env.StandardEnvironment;

/** Which repository the default is, with real H2 files: the per-user one, or an earlier version's ./data. */
class DefaultRepositoryTest {

    static final String INPUT = "/srv/migrations/tenants.csv";

    @TempDir
    Path dir;

    private Path state() {
        return dir.resolve("home/.local/state/customvision-import");
    }

    private Path cwd() throws Exception {
        return Files.createDirectories(dir.resolve("cwd"));
    }

    private String url(@Nullable String option, @Nullable String input) throws Exception {
        DefaultRepository repository = new DefaultRepository(new StandardEnvironment(), option, input,
                Map.of("HOME", dir.resolve("home").toString()), cwd());
        return String.valueOf(repository.getProperty(DefaultRepository.URL));
    }

    /** A repository in which a run of {@code input} was recorded, as Spring Batch records it. */
    private static void withRunOf(Path directory, String input) throws Exception {
        Files.createDirectories(directory);
        try (Connection connection = DriverManager.getConnection(new H2Repository(directory).url(), "sa", "");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE BATCH_JOB_EXECUTION_PARAMS (JOB_EXECUTION_ID BIGINT,"
                    + " PARAMETER_NAME VARCHAR(100), PARAMETER_VALUE VARCHAR(2500))");
            statement.execute("INSERT INTO BATCH_JOB_EXECUTION_PARAMS VALUES (1, 'input.path', '" + input + "')");
        }
    }

    @Test
    void byDefaultTheUsersStateDirectoryCreatedOwnerOnly() throws Exception {
        assertThat(url(null, INPUT)).isEqualTo(new H2Repository(state()).url());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state()))).isEqualTo("rwx------");
    }

    @Test
    void anEarlierVersionsDataIsUsedWhileTheUsersRepositoryDoesNotExist() throws Exception {
        withRunOf(cwd().resolve("data"), "/srv/other.csv");
        assertThat(url(null, INPUT)).isEqualTo(new H2Repository(cwd().resolve("data")).url());
        assertThat(state()).as("no second history begun").doesNotExist();
        assertThat(url(null, null)).as("--status").isEqualTo(new H2Repository(cwd().resolve("data")).url());
    }

    @Test
    void anEarlierVersionsDataIsUsedWhenTheUsersRepositoryHasNoRunOfThisInput() throws Exception {
        withRunOf(cwd().resolve("data"), INPUT);
        withRunOf(state(), "/srv/other.csv");
        assertThat(url(null, INPUT)).isEqualTo(new H2Repository(cwd().resolve("data")).url());
        assertThat(url(null, "/srv/other.csv")).isEqualTo(new H2Repository(state()).url());
        assertThat(url(null, null)).as("--status").isEqualTo(new H2Repository(state()).url());
    }

    @Test
    void theUsersRepositoryIsUsedWhenItKnowsThisInput() throws Exception {
        withRunOf(cwd().resolve("data"), INPUT);
        withRunOf(state(), INPUT);
        assertThat(url(null, INPUT)).isEqualTo(new H2Repository(state()).url());
    }

    /** Issue 27: an earlier version's ./data stands in for the default only, never for the operator's choice. */
    @Test
    void aDirectoryGivenExplicitlyWinsOverAnEarlierVersionsData() throws Exception {
        withRunOf(cwd().resolve("data"), INPUT);
        assertThat(url(dir.resolve("elsewhere").toString(), INPUT))
                .isEqualTo(new H2Repository(dir.resolve("elsewhere")).url());
        assertThat(url(dir.resolve("elsewhere").toString(), null)).as("--status --repository=elsewhere")
                .isEqualTo(new H2Repository(dir.resolve("elsewhere")).url());
        DefaultRepository fromVariable = new DefaultRepository(new StandardEnvironment(), null, INPUT,
                Map.of("HOME", dir.resolve("home").toString(), "CVIMPORT_REPOSITORY", dir.resolve("var").toString()),
                cwd());
        assertThat(fromVariable.getProperty(DefaultRepository.URL)).isEqualTo(new H2Repository(dir.resolve("var")).url());
        assertThat(url(cwd().resolve("data").toString(), "/srv/new.csv"))
                .isEqualTo(new H2Repository(cwd().resolve("data")).url());
    }

    @Test
    void withoutAHomeTheOperatorIsToldToNameTheRepository() throws Exception {
        DefaultRepository noHome = new DefaultRepository(new StandardEnvironment(), null, INPUT, Map.of(), cwd());
        String userHome = System.getProperty("user.home");
        System.setProperty("user.home", "?");
        try {
            assertThatThrownBy(() -> noHome.getProperty(DefaultRepository.URL))
                    .isInstanceOf(NoRepositoryDirectoryException.class)
                    .hasMessage("no home directory to keep the job repository in: set --repository=DIR"
                            + " or CVIMPORT_REPOSITORY");
        }
        finally {
            System.setProperty("user.home", userHome);
        }
    }
}
