package io.cvimport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * The jar as the launcher script and the container image run it: extracted
 * ({@code -Djarmode=tools extract}: the application's jar beside its libraries), with a
 * class-data sharing archive of an empty run's classes. Made once per test JVM; later children
 * map those classes instead of loading and verifying them again: about 3 s of CPU a start
 * rather than 5 s for the jar itself with an archive of the JVM's own classes (the job's
 * classes come from nested jars there, which CDS cannot map). The same classes run either way;
 * tests of the jar as a file ({@code java -jar} as typed, its manifest, its layers, the
 * launcher) start it themselves. When the extraction or the archive cannot be made, children
 * start the jar as it is.
 */
final class ClassDataArchive {

    private static @Nullable Start start;

    /** The jar a child runs, and the JVM options that map its archive. */
    record Start(Path jar, List<String> options) {
    }

    private ClassDataArchive() {
    }

    static synchronized Start of(Path java, Path jar) {
        if (start == null) {
            start = make(java, jar);
        }
        return start;
    }

    private static Start make(Path java, Path jar) {
        Start plain = new Start(jar, List.of());
        try {
            // One per test JVM: forks running side by side never write one folder together.
            Path folder = jar.resolveSibling("start-" + ProcessHandle.current().pid());
            Path scratch = Files.createTempDirectory("cds-dump");
            // 100 MB a test JVM: gone with it (its children are gone by then).
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                delete(folder);
                delete(scratch);
            }));
            if (!ran(scratch, List.of(java.toString(), "-Djarmode=tools", "-jar", jar.toString(), "extract",
                    "--destination", folder.toString()), 0)) {
                return plain;
            }
            Path extracted = folder.resolve(jar.getFileName());
            Path archive = folder.resolve("app.jsa");
            // An empty input: the whole start, the job and its end, with nothing to call.
            Files.writeString(scratch.resolve("empty.csv"), "token,region,key,tenant\n");
            List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx256m"));
            command.addAll(JarProcess.FAST_START);
            command.addAll(List.of("-XX:ArchiveClassesAtExit=" + archive, "-jar", extracted.toString(),
                    "--input=" + scratch.resolve("empty.csv"), "--repository=" + scratch.resolve("repository"),
                    "--customvision.endpoint=http://127.0.0.1:9"));
            if (!ran(scratch, command, 0) || !Files.exists(archive) || Files.size(archive) == 0) {
                return plain;
            }
            return new Start(extracted, List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off",
                    "-Xlog:cds+dynamic=off"));
        }
        catch (IOException e) {
            return plain;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return plain;
        }
    }

    private static void delete(Path folder) {
        try (var paths = Files.walk(folder)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (IOException | java.io.UncheckedIOException e) {
            // what is left goes with target/
        }
    }

    /** Runs the command in {@code scratch} (its HOME too): whether it ended with {@code code} within 5 minutes. */
    private static boolean ran(Path scratch, List<String> command, int code) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(scratch.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(scratch.resolve("start.log").toFile()));
        builder.environment().put("HOME", scratch.toString());
        builder.environment().remove("XDG_STATE_HOME");
        builder.environment().remove("CVIMPORT_REPOSITORY");
        Process process = builder.start();
        if (!process.waitFor(300, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return false;
        }
        return process.exitValue() == code;
    }
}
