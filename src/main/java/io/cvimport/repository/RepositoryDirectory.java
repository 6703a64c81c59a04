package io.cvimport.repository;

import java.nio.file.Path;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The directory of the default H2 job repository and the setting it came from:
 * {@code --repository=DIR}, else {@code CVIMPORT_REPOSITORY}, else the XDG state directory of
 * the user ({@code $XDG_STATE_HOME/customvision-import}, else
 * {@code ~/.local/state/customvision-import}). Never the working directory: cron and a person
 * at 3 a.m. start the same command from different places.
 */
record RepositoryDirectory(Path path, String source) {

    static final String VARIABLE = "CVIMPORT_REPOSITORY";
    private static final String APPLICATION = "customvision-import";
    private static final String DEFAULT = "per-user default";

    static RepositoryDirectory resolve(@Nullable String option, Map<String, String> environment,
            @Nullable String userHome) {
        if (option != null) {
            return of(option, "--repository");
        }
        String variable = environment.get(VARIABLE);
        if (variable != null && !variable.isBlank()) {
            return of(variable, VARIABLE);
        }
        // The XDG spec: a relative XDG_STATE_HOME is invalid and must be ignored.
        String stateHome = environment.get("XDG_STATE_HOME");
        if (stateHome != null && !stateHome.isBlank() && Path.of(stateHome).isAbsolute()) {
            return of(Path.of(stateHome, APPLICATION).toString(), "$XDG_STATE_HOME/" + APPLICATION);
        }
        String home = environment.get("HOME");
        if (home == null || home.isBlank()) {
            home = userHome;
        }
        // A user without an entry in /etc/passwd has no HOME, and the JVM's user.home is then "?".
        if (home == null || home.isBlank() || !Path.of(home).isAbsolute()) {
            throw new NoRepositoryDirectoryException("no home directory to keep the job repository in");
        }
        return of(Path.of(home, ".local", "state", APPLICATION).toString(), DEFAULT);
    }

    /** Named by the operator (option or variable): used as it is, whatever else lies around. */
    boolean explicit() {
        return !source.equals(DEFAULT) && !source.startsWith("$XDG_STATE_HOME");
    }

    private static RepositoryDirectory of(String directory, String source) {
        if (directory.isBlank()) {
            throw new IllegalArgumentException(source + " needs a directory");
        }
        // H2 reads ';' in a URL as the start of its settings.
        if (directory.contains(";")) {
            throw new IllegalArgumentException(source + ": the job repository's directory must not contain ';'");
        }
        return new RepositoryDirectory(Path.of(directory).toAbsolutePath().normalize(), source);
    }
}
