package io.cvimport.repository;

import java.nio.file.Path;
import java.util.regex.Pattern;

import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.stereotype.Component;

/**
 * Which job repository this process uses, as the operator should read it: the H2 file's
 * path, or the JDBC URL without its password; and where that came from.
 */
@Component
public class RepositoryInUse {

    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)((?:password|pwd)=)[^;&]*");
    private static final Pattern USER_INFO = Pattern.compile("(//[^/:@]*:)[^@/]*@");
    private static final String H2_FILE = "jdbc:h2:file:";

    private final ConfigurableEnvironment environment;

    RepositoryInUse(ConfigurableEnvironment environment) {
        this.environment = environment;
    }

    public String describe() {
        return describe(environment);
    }

    /** Asking for the URL decides the default one, if that is the one in use. */
    static String describe(ConfigurableEnvironment environment) {
        String url = environment.getProperty(DefaultRepository.URL);
        if (url == null) {
            return "none (no spring.datasource.url)";
        }
        if (environment.getPropertySources().get(DefaultRepository.NAME) instanceof DefaultRepository own) {
            DefaultRepository.Chosen chosen = own.chosenIfAsked();
            if (chosen != null && chosen.url().equals(url)) {
                return chosen.description();
            }
        }
        return readable(url) + " (spring.datasource.url)";
    }

    static String readable(String url) {
        if (url.startsWith(H2_FILE)) {
            String name = url.substring(H2_FILE.length()).split(";", 2)[0];
            if (name.startsWith("~")) {
                name = System.getProperty("user.home") + name.substring(1);
            }
            return Path.of(name + ".mv.db").toAbsolutePath().normalize().toString();
        }
        return USER_INFO.matcher(PASSWORD_PARAMETER.matcher(url).replaceAll("$1***")).replaceAll("$1***@");
    }
}
