package io.cvimport.scale;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker serves no port, so its supervisor cannot ask it whether it is well: it is well
 * while it holds its lease, and this file ({@code --scale.worker-heartbeat-file}) says so by
 * its modification time, touched at every renewal. A probe that finds it older than a few
 * renewals ({@code find FILE -mmin -1}) has found a worker that lost its database, hangs, or
 * was frozen. Removed when the worker stops, so a stopped worker is never taken for a live one.
 */
final class Heartbeat {

    private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

    private final @Nullable Path file;
    private final Clock clock;
    private boolean warned;

    Heartbeat(@Nullable Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    /** The lease was taken or renewed just now. */
    void beat() {
        if (file == null) {
            return;
        }
        try {
            if (!Files.exists(file)) {
                Path parent = file.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                Files.createFile(file);
            }
            Files.setLastModifiedTime(file, FileTime.from(clock.instant()));
            warned = false;
        }
        catch (IOException e) {
            // Once per outage: a read-only volume would otherwise log every few seconds.
            if (!warned) {
                log.warn("could not touch the heartbeat file {}: {}", file, e.toString());
                warned = true;
            }
        }
    }

    void end() {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        }
        catch (IOException e) {
            log.warn("could not remove the heartbeat file {}: {}", file, e.toString());
        }
    }
}
