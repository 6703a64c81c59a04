package io.cvimport.support;

import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;

/**
 * An Artemis broker in the test's JVM, configured as a manager's embedded one is (messages in
 * memory, no security, no JMX), on {@code tcp://127.0.0.1:port}: the external broker of a test
 * or a benchmark, started before the processes that use it.
 */
public final class InMemoryBroker {

    private InMemoryBroker() {
    }

    /** Started; stop it when done. {@code plugins} see every message it receives. */
    public static EmbeddedActiveMQ start(int port, ActiveMQServerMessagePlugin... plugins) throws Exception {
        ConfigurationImpl configuration = new ConfigurationImpl();
        configuration.setPersistenceEnabled(false);
        configuration.setSecurityEnabled(false);
        configuration.setJMXManagementEnabled(false);
        configuration.addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port);
        for (ActiveMQServerMessagePlugin plugin : plugins) {
            configuration.registerBrokerPlugin(plugin);
        }
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ().setConfiguration(configuration);
        broker.start();
        return broker;
    }
}
