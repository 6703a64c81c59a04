package io.cvimport.scale;

import java.util.HashMap;
import java.util.Map;

import org.apache.activemq.artemis.core.remoting.impl.netty.TransportConstants;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code scale.broker-tls.*}: TLS between the workers (and a manager using an external broker)
 * and the broker. The store passwords are secrets: give them in the environment
 * ({@code SCALE_BROKER_TLS_KEY_STORE_PASSWORD}) or a file, never on the command line.
 *
 * @param enabled            TLS on the embedded broker's acceptor and on every connection to a broker over TCP
 * @param keyStore           the embedded broker's key store (PKCS12 or JKS file): its certificate and private key;
 *                           on a client, a key store makes it present a certificate (for a broker that asks)
 * @param keyStorePassword   the key store's password
 * @param trustStore         the certificates a client trusts for the broker's (default: the JVM's own)
 * @param trustStorePassword the trust store's password
 */
@ConfigurationProperties("scale.broker-tls")
public record BrokerTlsProperties(@DefaultValue("false") boolean enabled, @Nullable String keyStore,
        @Nullable String keyStorePassword, @Nullable String trustStore, @Nullable String trustStorePassword) {

    public BrokerTlsProperties {
        if (!enabled && (keyStore != null || trustStore != null)) {
            // A store given without TLS on would be silently ignored: the operator meant TLS.
            throw new IllegalArgumentException("scale.broker-tls.key-store or trust-store given without"
                    + " --scale.broker-tls.enabled=true");
        }
    }

    /** The embedded broker's TCP acceptor: its certificate. */
    Map<String, Object> acceptor() {
        Map<String, Object> params = new HashMap<>();
        if (enabled) {
            if (keyStore == null) {
                throw new IllegalArgumentException("--scale.broker-tls.enabled=true on an embedded broker needs"
                        + " --scale.broker-tls.key-store=FILE (its certificate and key)");
            }
            params.put(TransportConstants.SSL_ENABLED_PROP_NAME, true);
            params.put(TransportConstants.KEYSTORE_PATH_PROP_NAME, keyStore);
            putIfGiven(params, TransportConstants.KEYSTORE_PASSWORD_PROP_NAME, keyStorePassword);
        }
        return params;
    }

    /** A client's connector over TCP: whom it trusts, maybe its own certificate. */
    Map<String, Object> connector() {
        Map<String, Object> params = new HashMap<>();
        if (enabled) {
            params.put(TransportConstants.SSL_ENABLED_PROP_NAME, true);
            putIfGiven(params, TransportConstants.TRUSTSTORE_PATH_PROP_NAME, trustStore);
            putIfGiven(params, TransportConstants.TRUSTSTORE_PASSWORD_PROP_NAME, trustStorePassword);
            putIfGiven(params, TransportConstants.KEYSTORE_PATH_PROP_NAME, keyStore);
            putIfGiven(params, TransportConstants.KEYSTORE_PASSWORD_PROP_NAME, keyStorePassword);
        }
        return params;
    }

    private static void putIfGiven(Map<String, Object> params, String name, @Nullable String value) {
        if (value != null && !value.isEmpty()) {
            params.put(name, value);
        }
    }

    /** Never the passwords: a record's own toString would print them. */
    @Override
    public String toString() {
        return "BrokerTlsProperties[enabled=" + enabled + ", keyStore=" + keyStore + ", trustStore=" + trustStore + "]";
    }
}
