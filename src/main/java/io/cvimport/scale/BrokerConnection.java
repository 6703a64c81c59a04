package io.cvimport.scale;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.jms.ConnectionFactory;

import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyAcceptorFactory;
import org.apache.activemq.artemis.core.remoting.impl.netty.TransportConstants;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The JMS broker of a manager or a worker: the Artemis broker the manager hosts itself
 * ({@code --scale.broker=embedded}, a TCP acceptor on {@code --scale.broker-host} and
 * {@code --scale.broker-port}, messages in memory only: a request lost with the manager is sent
 * again by the manager's restart), or the one {@code --spring.artemis.broker-url} names.
 * Whoever reaches an open broker could take partition requests and sit on them, or send its
 * own: so the embedded broker requires {@link BrokerCredentials} unless only this host reaches
 * it (loopback), and TLS ({@link BrokerTlsProperties}) protects them on the wire.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${scale.role:single}' != 'single'")
class BrokerConnection {

    private static final Logger log = LoggerFactory.getLogger(BrokerConnection.class);
    /** The manager reaches its own broker in memory: no socket, no certificate to trust. */
    private static final String IN_VM = "vm://0";

    @Bean
    BrokerCredentials brokerCredentials(@Value("${spring.artemis.user:}") @Nullable String user,
            @Value("${spring.artemis.password:}") @Nullable String password) {
        return new BrokerCredentials(user, password);
    }

    @Bean(destroyMethod = "stop")
    @ConditionalOnExpression("'${scale.broker:external}' == 'embedded'")
    EmbeddedActiveMQ embeddedBroker(ScaleProperties properties, BrokerCredentials credentials,
            BrokerTlsProperties tls) throws Exception {
        boolean loopback = loopback(properties.brokerHost());
        if (!credentials.given() && !loopback) {
            throw new IllegalArgumentException("--scale.broker-host=" + properties.brokerHost() + " lets other hosts"
                    + " reach the embedded broker: it needs a user and a password, SPRING_ARTEMIS_USER and"
                    + " SPRING_ARTEMIS_PASSWORD in the environment (or spring.artemis.user and spring.artemis.password"
                    + " from a file, --spring.config.import=configtree:DIR)");
        }
        ConfigurationImpl configuration = new ConfigurationImpl();
        configuration.setPersistenceEnabled(false);
        configuration.setJMXManagementEnabled(false);
        // No cluster here; a random cluster password keeps Artemis from warning about its default one.
        configuration.setClusterPassword(UUID.randomUUID().toString());
        configuration.setSecurityEnabled(credentials.given());
        Map<String, Object> tcp = new HashMap<>(tls.acceptor());
        tcp.put(TransportConstants.HOST_PROP_NAME, properties.brokerHost());
        tcp.put(TransportConstants.PORT_PROP_NAME, properties.brokerPort());
        configuration.addAcceptorConfiguration(new TransportConfiguration(NettyAcceptorFactory.class.getName(), tcp,
                "tcp"));
        configuration.addAcceptorConfiguration("invm", IN_VM);
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
        broker.setConfiguration(configuration);
        broker.setSecurityManager(credentials.securityManager());
        broker.start();
        log.info("manager: hosting the broker on {}:{}{}{} (workers: --spring.artemis.broker-url=tcp://{}:{})",
                properties.brokerHost(), properties.brokerPort(), tls.enabled() ? ", TLS" : "",
                credentials.given() ? ", user " + credentials.user() : ", no credentials (loopback only)",
                loopback ? properties.brokerHost() : "<this host>", properties.brokerPort());
        return broker;
    }

    /**
     * Consumers hold no message ahead ({@code consumerWindowSize=0}): a worker busy with its
     * partitions leaves the next request to a worker that asks for one.
     */
    @Bean
    ConnectionFactory connectionFactory(ScaleProperties properties, BrokerCredentials credentials,
            BrokerTlsProperties tls, @Value("${spring.artemis.broker-url:}") @Nullable String brokerUrl,
            @Nullable EmbeddedActiveMQ embeddedBroker) {
        ActiveMQConnectionFactory factory;
        if (properties.broker() == ScaleProperties.Broker.EMBEDDED) {
            factory = new ActiveMQConnectionFactory(IN_VM);
        }
        else if (brokerUrl == null || brokerUrl.isBlank()) {
            throw new IllegalArgumentException("--scale.role="
                    + properties.role().name().toLowerCase(java.util.Locale.ROOT)
                    + " needs a broker: --spring.artemis.broker-url=tcp://HOST:PORT (or, on the manager,"
                    + " --scale.broker=embedded)");
        }
        else {
            factory = overTcp(brokerUrl, tls);
        }
        factory.setConsumerWindowSize(0);
        if (credentials.given()) {
            factory.setUser(credentials.user());
            factory.setPassword(credentials.password());
        }
        return factory;
    }

    /**
     * The URL's servers, with TLS's settings added to each as parameters rather than to the
     * URL: an URL with a store's password in it could end up in a message.
     */
    private static ActiveMQConnectionFactory overTcp(String brokerUrl, BrokerTlsProperties tls) {
        ActiveMQConnectionFactory parsed = new ActiveMQConnectionFactory(brokerUrl);
        Map<String, Object> secured = tls.connector();
        if (secured.isEmpty()) {
            return parsed;
        }
        TransportConfiguration[] servers = Arrays.stream(parsed.getStaticConnectors()).map(server -> {
            Map<String, Object> params = new HashMap<>(server.getParams());
            params.putAll(secured);
            return new TransportConfiguration(server.getFactoryClassName(), params, server.getName());
        }).toArray(TransportConfiguration[]::new);
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(parsed.isHA(), servers);
        parsed.close();
        return factory;
    }

    private static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        }
        catch (UnknownHostException e) {
            throw new IllegalArgumentException("--scale.broker-host=" + host + ": no such address here", e);
        }
    }
}
