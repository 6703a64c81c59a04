package io.cvimport.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What spring-boot:build-image puts in the image, checked without a Docker engine: the
 * packaged jar's layers, as the buildpack extracts them (Spring Boot's jar tools), with the
 * job's classes in the application layer and its libraries apart, so that a new build
 * changes one small layer. That the image builds and starts needs an engine: not here.
 */
class ImageLayersIT {

    private static final Path JAR = Path.of(System.getProperty("jar.path", "target/customvision-import.jar"));

    @TempDir
    Path extracted;

    @Test
    void theJarSplitsIntoBootsLayersWithTheJobInTheApplicationLayer() throws Exception {
        assertThat(tools("list-layers").lines().map(String::strip).toList())
                .containsExactly("dependencies", "spring-boot-loader", "snapshot-dependencies", "application");
        tools("extract", "--layers", "--launcher", "--destination", extracted.toString());
        assertThat(extracted.resolve("application/BOOT-INF/classes/io/cvimport/Application.class")).exists();
        assertThat(extracted.resolve("application/BOOT-INF/classes/application.properties")).exists();
        try (var libraries = Files.list(extracted.resolve("dependencies/BOOT-INF/lib"))) {
            assertThat(libraries.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("spring-batch-core"))
                    .anyMatch(n -> n.startsWith("artemis-jakarta-server"));
        }
        assertThat(extracted.resolve("spring-boot-loader/org/springframework/boot/loader/launch/JarLauncher.class"))
                .exists();
    }

    private static String tools(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Djarmode=tools", "-jar", JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
