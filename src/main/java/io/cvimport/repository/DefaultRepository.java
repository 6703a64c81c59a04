package io.cvimport.repository;

import java.nio.file.Path;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * {@code spring.datasource.url} when nothing else names the job repository. Decided the first
 * time it is asked for, and only if it is: a URL given anywhere else (command line,
 * environment, a test's properties) wins, and then no directory is created and no file opened.
 */
final class DefaultRepository extends PropertySource<Object> {

    static final String NAME = "customvisionImportDefaultRepository";
    static final String URL = "spring.datasource.url";
    private static final Logger log = LoggerFactory.getLogger(DefaultRepository.class);

    private final Environment environment;
    private final @Nullable String option;
    private final @Nullable String input;
    private final Map<String, String> variables;
    private final Path workingDirectory;
    private volatile @Nullable Chosen chosen;

    /** The repository's URL and how to name it to the operator. */
    record Chosen(String url, String description) {
    }

    DefaultRepository(Environment environment, @Nullable String option, @Nullable String input,
            Map<String, String> variables, Path workingDirectory) {
        super(NAME);
        this.environment = environment;
        this.option = option;
        this.input = input;
        this.variables = variables;
        this.workingDirectory = workingDirectory;
    }

    @Override
    public @Nullable Object getProperty(String name) {
        return URL.equals(name) ? chosen().url() : null;
    }

    /** Decides once; a failure to decide (an unusable directory) is thrown to the caller. */
    synchronized Chosen chosen() {
        Chosen decided = chosen;
        if (decided == null) {
            decided = choose();
            chosen = decided;
        }
        return decided;
    }

    private Chosen choose() {
        RepositoryDirectory directory = RepositoryDirectory.resolve(option, variables, System.getProperty("user.home"));
        H2Repository own = new H2Repository(directory.path());
        H2Repository legacy = new H2Repository(workingDirectory.resolve("data"));
        // An earlier version's ./data stands in for the default only: a repository named by the operator wins.
        if (!directory.explicit() && legacy.exists() && !legacy.isSameAs(own)) {
            if (!knowsThisInput(own)) {
                log.warn("{} is the job repository of an earlier version (./data of the working directory), and {}:"
                        + " using it, so that nothing is imported twice. {}", legacy.file(), own.exists()
                                ? own.file() + " has no run of this input"
                                : own.file() + " (" + directory.source() + ") does not exist yet",
                        howToMove(legacy, own));
                return new Chosen(legacy.url(), legacy.file() + " (an earlier version's, in ./data)");
            }
            log.warn("{}, the job repository of an earlier version in ./data of the working directory, is not used:"
                    + " {} {} (see the earlier ones with --repository={})", legacy.file(), own.file(),
                    input == null ? "exists" : "already has runs of this input", legacy.directory());
        }
        try {
            own.createDirectory();
        }
        catch (IllegalStateException e) {
            if (directory.explicit()) {
                throw e;
            }
            throw new NoRepositoryDirectoryException(e.getMessage() + " (" + directory.source() + ")");
        }
        return new Chosen(own.url(), own.file() + " (" + directory.source() + ")");
    }

    /** With no input (--status, --report-of), an existing repository of its own is the one asked about. */
    private boolean knowsThisInput(H2Repository own) {
        if (input == null) {
            return own.exists();
        }
        return own.knows(Path.of(input).toAbsolutePath().normalize().toString(),
                environment.getProperty("spring.datasource.username", "sa"),
                environment.getProperty("spring.datasource.password", ""));
    }

    private static String howToMove(H2Repository legacy, H2Repository own) {
        if (own.exists()) {
            return "Both hold runs: keep running this input from this directory, or with --repository="
                    + legacy.directory() + ".";
        }
        return "To make it the repository of every working directory, move it once, while no run is going:"
                + " mkdir -p -m 700 " + own.directory() + " && mv " + legacy.file() + " " + own.directory() + "/";
    }
}
