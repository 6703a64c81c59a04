package io.cvimport.scale;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

import javax.security.auth.Subject;

import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager;
import org.jspecify.annotations.Nullable;

/**
 * The one user of the broker ({@code spring.artemis.user} and {@code spring.artemis.password}):
 * what the embedded broker requires of every connection, and what the manager and the workers
 * present. Like the database's password, it comes from the environment
 * ({@code SPRING_ARTEMIS_PASSWORD}) or a file ({@code --spring.config.import=configtree:DIR}),
 * never from the command line, where {@code ps} shows it to every user of the host.
 */
record BrokerCredentials(@Nullable String user, @Nullable String password) {

    boolean given() {
        return user != null && !user.isEmpty() && password != null && !password.isEmpty();
    }

    /** The embedded broker's security: these credentials, for every address and every action. */
    ActiveMQSecurityManager securityManager() {
        return new ActiveMQSecurityManager() {
            @Override
            public boolean validateUser(@Nullable String user, @Nullable String password) {
                return matches(user, password);
            }

            @Override
            public boolean validateUserAndRole(@Nullable String user, @Nullable String password, Set<Role> roles,
                    CheckType checkType) {
                // One user for one purpose: whoever has the password may do everything the job does.
                return matches(user, password);
            }

            @Override
            public @Nullable String getUserFromSubject(@Nullable Subject subject) {
                return null;
            }
        };
    }

    private boolean matches(@Nullable String user, @Nullable String password) {
        return given() && user != null && password != null
                && constantTimeEquals(user, this.user) && constantTimeEquals(password, this.password);
    }

    private static boolean constantTimeEquals(String given, @Nullable String expected) {
        return expected != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }

    /** Never the password: a record's own toString would print it. */
    @Override
    public String toString() {
        return "BrokerCredentials[user=" + user + "]";
    }
}
