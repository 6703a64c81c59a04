package io.cvimport.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file whole or not at all: into a temporary file beside it, moved over it once
 * complete. A write that fails leaves the earlier file as it was, and no temporary file.
 */
public final class AtomicFile {

    /** What writes the content, into the path it is given. */
    @FunctionalInterface
    public interface Content<T> {
        T writeTo(Path partial) throws IOException;
    }

    private AtomicFile() {
    }

    /** @return what {@code content} returned */
    public static <T> T write(Path file, Content<T> content) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path partial = Files.createTempFile(parent, file.getFileName().toString(), ".partial");
        try {
            T written = content.writeTo(partial);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return written;
        }
        finally {
            Files.deleteIfExists(partial);
        }
    }
}
