package io.cvimport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A class-data sharing archive of the jar's start-up, made once per test JVM by a run that
 * starts the whole application and stops at its input's header (exit 2). Later children map
 * those classes instead of loading and verifying them again: about a fifth less CPU per
 * start. It changes which bytes the JVM reads its classes from, never which classes run.
 * When it cannot be made, children start without it.
 */
final class ClassDataArchive {

    private static boolean tried;
    private static List<String> options = List.of();

    private ClassDataArchive() {
    }

    /** The JVM options that use the archive, or none. */
    static synchronized List<String> options(Path java, Path jar) {
        if (!tried) {
            tried = true;
            options = make(java, jar);
        }
        return options;
    }

    private static List<String> make(Path java, Path jar) {
        try {
            // One per test JVM: forks running side by side never write one file together.
            Path archive = jar.resolveSibling("cds-" + ProcessHandle.current().pid() + ".jsa");
            Path scratch = Files.createTempDirectory("cds-dump");
            // A file that exists, so that the command line check lets Spring start; its header stops the command.
            Files.writeString(scratch.resolve("none.csv"), "no,such,columns\n");
            List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx256m"));
            command.addAll(JarProcess.FAST_START);
            command.addAll(List.of("-XX:ArchiveClassesAtExit=" + archive, "-jar", jar.toString(),
                    "--input=" + scratch.resolve("none.csv"), "--repository=" + scratch.resolve("repository")));
            ProcessBuilder builder = new ProcessBuilder(command).directory(scratch.toFile()).redirectErrorStream(true)
                    .redirectOutput(scratch.resolve("dump.log").toFile());
            builder.environment().put("HOME", scratch.toString());
            Process dump = builder.start();
            if (!dump.waitFor(300, TimeUnit.SECONDS)) {
                dump.destroyForcibly();
                return List.of();
            }
            return Files.size(archive) > 0 ? List.of("-XX:SharedArchiveFile=" + archive) : List.of();
        }
        catch (IOException e) {
            return List.of();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }
}
