package io.cvimport.repository;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The job repository's H2 file in one directory: its URL, whether it exists, whether it knows an input. */
record H2Repository(Path directory) {

    private static final Logger log = LoggerFactory.getLogger(H2Repository.class);
    private static final String NAME = "customvision-import";
    /** The job parameter that names the input (ImportJobConfiguration.INPUT_PATH). */
    private static final String INPUT_PARAMETER = "input.path";

    /** AUTO_SERVER lets a second process open the file (and be told that a run is in progress). */
    String url() {
        return "jdbc:h2:file:" + directory.resolve(NAME) + ";AUTO_SERVER=TRUE";
    }

    Path file() {
        return directory.resolve(NAME + ".mv.db");
    }

    boolean exists() {
        return Files.isRegularFile(file());
    }

    boolean isSameAs(H2Repository other) {
        try {
            return file().equals(other.file()) || exists() && other.exists() && Files.isSameFile(file(), other.file());
        }
        catch (IOException e) {
            return false;
        }
    }

    /** Whether a run of this input (by its absolute path) was ever recorded here; opens nothing that does not exist. */
    boolean knows(String input, String user, String password) {
        if (!exists()) {
            return false;
        }
        try {
            Class.forName("org.h2.Driver");
            try (Connection connection = DriverManager.getConnection(url() + ";IFEXISTS=TRUE", user, password);
                    PreparedStatement query = connection.prepareStatement("SELECT 1 FROM BATCH_JOB_EXECUTION_PARAMS"
                            + " WHERE PARAMETER_NAME = ? AND PARAMETER_VALUE = ? FETCH FIRST 1 ROWS ONLY")) {
                query.setString(1, INPUT_PARAMETER);
                query.setString(2, input);
                try (ResultSet found = query.executeQuery()) {
                    return found.next();
                }
            }
        }
        catch (SQLException | ClassNotFoundException e) {
            // A file without the job's tables, or one that cannot be read, knows no run.
            log.debug("cannot read the runs of {}: {}", file(), e.toString());
            return false;
        }
    }

    /** Owner-only, as the XDG spec asks of the directories it creates: the runs of a user are theirs. */
    void createDirectory() {
        if (Files.isDirectory(directory)) {
            return;
        }
        try {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createDirectories(directory,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            else {
                Files.createDirectories(directory);
            }
        }
        catch (IOException e) {
            // Without a cause: the command prints the deepest message, and this one says what failed.
            throw new IllegalStateException("cannot create the job repository's directory " + directory + ": "
                    + (e instanceof AccessDeniedException ? "permission denied"
                            : e instanceof FileSystemException failed && failed.getReason() != null ? failed.getReason()
                                    : e.getMessage()));
        }
    }
}
