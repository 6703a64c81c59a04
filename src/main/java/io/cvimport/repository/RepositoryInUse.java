package io.cvimport.repository;

import java.nio.file.Path;

import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.stereotype.Component;

/**
 * Which job repository this process uses, as the operator should read it: the H2 file's
 * path, or the JDBC URL without its password; and where that came from.
 */
@Component
public class RepositoryInUse {

    private static final String H2_FILE = "jdbc:h2:file:";

    private final ConfigurableEnvironment environment;

    RepositoryInUse(ConfigurableEnvironment environment) {
        this.environment = environment;
    }

    public String describe() {
        return describe(environment);
    }

    /** Decides the default repository, if that is the one in use. */
    static String describe(ConfigurableEnvironment environment) {
        if (environment.getPropertySources().get(DefaultRepository.NAME) instanceof DefaultRepository own
                && !namedElsewhere(environment)) {
            // Asked directly: Boot's property resolution swallows what a property source throws,
            // and would then start on an embedded in-memory database instead.
            return own.chosen().description();
        }
        String url = environment.getProperty(DefaultRepository.URL);
        return url == null ? "none (no spring.datasource.url)" : readable(url) + " (spring.datasource.url)";
    }

    private static boolean namedElsewhere(ConfigurableEnvironment environment) {
        return environment.getPropertySources().stream()
                .filter(source -> !(source instanceof DefaultRepository)
                        && !ConfigurationPropertySources.isAttachedConfigurationPropertySource(source))
                .anyMatch(source -> source.containsProperty(DefaultRepository.URL));
    }

    static String readable(String url) {
        if (url.startsWith(H2_FILE)) {
            String name = url.substring(H2_FILE.length()).split(";", 2)[0];
            if (name.startsWith("~")) {
                name = System.getProperty("user.home") + name.substring(1);
            }
            return Path.of(name + ".mv.db").toAbsolutePath().normalize().toString();
        }
        return JdbcUrls.withoutPassword(url);
    }
}
