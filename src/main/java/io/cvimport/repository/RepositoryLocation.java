package io.cvimport.repository;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.CommandLinePropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * Puts the default job repository behind every other source of {@code spring.datasource.url}
 * (after the configuration files are loaded, so that one of them may name it too).
 * Registered in {@code META-INF/spring.factories}.
 */
class RepositoryLocation implements EnvironmentPostProcessor, Ordered {

    static final String OPTION = "repository";

    private final Log log;

    RepositoryLocation(DeferredLogFactory logs) {
        this.log = logs.getLog(RepositoryLocation.class);
    }

    @Override
    public int getOrder() {
        return ConfigDataEnvironmentPostProcessor.ORDER + 1;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        // Only the command line: an environment variable REPOSITORY set for something else must not move it.
        PropertySource<?> commandLine = environment.getPropertySources()
                .get(CommandLinePropertySource.COMMAND_LINE_PROPERTY_SOURCE_NAME);
        String option = commandLine == null ? null : text(commandLine.getProperty(OPTION));
        String input = commandLine == null ? null : text(commandLine.getProperty("input"));
        if (option != null && environment.containsProperty(DefaultRepository.URL)) {
            log.warn("--repository is ignored: spring.datasource.url names the job repository");
        }
        Map<String, String> variables = new HashMap<>();
        environment.getSystemEnvironment().forEach((name, value) -> variables.put(name, String.valueOf(value)));
        environment.getPropertySources().addLast(new DefaultRepository(environment, option, input, variables,
                Path.of("").toAbsolutePath()));
    }

    private static @Nullable String text(@Nullable Object value) {
        return value == null ? null : value.toString();
    }
}
