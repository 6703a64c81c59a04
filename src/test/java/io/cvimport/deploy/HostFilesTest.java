package io.cvimport.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files of a host's installation in jobs/: the systemd unit, the crontab, the launcher,
 * the installer and the environment file pass only options and property variables the job
 * knows, and the unit runs the jar where the installer puts it, not a build tree.
 */
class HostFilesTest {

    private static final Path JOBS = Path.of("jobs");
    private static final KnownOptions known = new KnownOptions();

    @Test
    void everyOptionTheSystemdUnitTheCronTableAndTheScriptPassIsOneTheJobKnows() throws IOException {
        List<String> unknown = new ArrayList<>();
        int commands = 0;
        for (String name : List.of("customvision-import.service", "crontab.example", "customvision-import.sh",
                "install.sh", "customvision-import.env.example")) {
            for (String line : Files.readAllLines(JOBS.resolve(name), StandardCharsets.UTF_8)) {
                // Lines that run the job (the jar or its launcher), commented examples included;
                // not Boot's jar tools (-Djarmode=tools), whose options are their own, nor the
                // launcher's own mode that only makes its start-up archive.
                if ((line.contains("-jar ") || line.contains("customvision-import.sh ")) && !line.contains("-Djarmode=")) {
                    commands++;
                    known.checkOptions(line.replace("--start-archive", ""), name, unknown);
                }
                Matcher variable = Pattern.compile("^(?:#\\s*)?(?:Environment=)?([A-Z][A-Z0-9_]+)=").matcher(line);
                if (variable.find()) {
                    known.checkVariable(variable.group(1), name, unknown);
                }
            }
        }
        assertThat(unknown).isEmpty();
        assertThat(commands).as("lines that run the job").isGreaterThanOrEqualTo(4);
    }

    @Test
    void theSystemdUnitRunsAnInstalledJarNotABuildTree() throws IOException {
        String unit = Files.readString(JOBS.resolve("customvision-import.service"), StandardCharsets.UTF_8);
        assertThat(unit.lines().filter(l -> !l.startsWith("#"))).noneMatch(l -> l.contains("target/"));
        assertThat(unit).contains("Environment=CVIMPORT_JAR=/opt/customvision-import/lib/customvision-import.jar");
        assertThat(Files.readString(JOBS.resolve("install.sh"), StandardCharsets.UTF_8))
                .contains("/opt/customvision-import/lib/customvision-import.jar");
    }

    @Test
    void theInstallerLaysOutTheJarTheLauncherAndTheUnitsAsAPackageWould(@TempDir Path root) throws Exception {
        Path jar = Files.writeString(root.resolve("built.jar"), "a jar");
        Path dest = root.resolve("dest");
        ProcessBuilder install = new ProcessBuilder("bash", JOBS.resolve("install.sh").toString(), jar.toString())
                .redirectErrorStream(true);
        install.environment().put("DESTDIR", dest.toString());
        Process process = install.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        assertThat(dest.resolve("opt/customvision-import/lib/customvision-import.jar")).hasContent("a jar");
        assertThat(Files.isExecutable(dest.resolve("opt/customvision-import/bin/customvision-import.sh"))).isTrue();
        assertThat(dest.resolve("etc/systemd/system/customvision-import.timer")).exists();
        assertThat(mode(dest.resolve("etc/customvision-import.env"))).isEqualTo("rw-r-----");
        assertThat(mode(dest.resolve("var/lib/customvision-import/reports"))).isEqualTo("rwx------");
        assertThat(dest.resolve("var/log/customvision-import")).isDirectory();
        assertThat(dest.resolve("srv/migrations")).isDirectory();
        // The unit runs what the installer put in place.
        String unit = Files.readString(JOBS.resolve("customvision-import.service"), StandardCharsets.UTF_8);
        for (String path : List.of("/opt/customvision-import/bin/customvision-import.sh",
                "/opt/customvision-import/lib/customvision-import.jar", "/etc/customvision-import.env")) {
            assertThat(unit).contains(path);
            assertThat(dest.resolve(path.substring(1))).exists();
        }
    }

    private static String mode(Path path) throws IOException {
        return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
