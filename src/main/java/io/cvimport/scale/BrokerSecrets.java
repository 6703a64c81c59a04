package io.cvimport.scale;

import java.util.List;
import java.util.Locale;

/**
 * The broker's secrets are refused on the command line, where {@code ps} and shell histories
 * show them to others: they come from the environment or a file, as the database's password.
 */
public final class BrokerSecrets {

    /** Options that carry a secret. */
    static final List<String> OPTIONS = List.of("spring.artemis.password", "scale.broker-tls.key-store-password",
            "scale.broker-tls.trust-store-password");

    private BrokerSecrets() {
    }

    /** Checked before anything starts: a secret among the arguments is a usage error, named but never echoed. */
    public static void refuseOnCommandLine(String... args) {
        for (String arg : args) {
            for (String option : OPTIONS) {
                if (arg.startsWith("--" + option + "=")) {
                    throw new IllegalArgumentException("--" + option + " on the command line is visible to every"
                            + " user of this host: give it in the environment ("
                            + option.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_')
                            + ") or in a file (--spring.config.import=configtree:DIR, the file named " + option + ")");
                }
            }
        }
    }
}
