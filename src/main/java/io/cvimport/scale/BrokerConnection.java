package io.cvimport.scale;

import jakarta.jms.ConnectionFactory;

import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
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
 * ({@code --scale.broker=embedded}, a TCP acceptor on {@code --scale.broker-port}, messages
 * in memory only: a request lost with the manager is sent again by the manager's restart),
 * or the one {@code --spring.artemis.broker-url} names.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${scale.role:single}' != 'single'")
class BrokerConnection {

    private static final Logger log = LoggerFactory.getLogger(BrokerConnection.class);

    @Bean(destroyMethod = "stop")
    @ConditionalOnExpression("'${scale.broker:external}' == 'embedded'")
    EmbeddedActiveMQ embeddedBroker(ScaleProperties properties) throws Exception {
        ConfigurationImpl configuration = new ConfigurationImpl();
        configuration.setPersistenceEnabled(false);
        configuration.setSecurityEnabled(false);
        configuration.setJMXManagementEnabled(false);
        configuration.addAcceptorConfiguration("tcp", "tcp://0.0.0.0:" + properties.brokerPort());
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
        broker.setConfiguration(configuration);
        broker.start();
        log.info("manager: hosting the broker on port {} (workers: --spring.artemis.broker-url=tcp://<this host>:{})",
                properties.brokerPort(), properties.brokerPort());
        return broker;
    }

    /**
     * Consumers hold no message ahead ({@code consumerWindowSize=0}): a worker busy with its
     * partitions leaves the next request to a worker that asks for one.
     */
    @Bean
    ConnectionFactory connectionFactory(ScaleProperties properties,
            @Value("${spring.artemis.broker-url:}") @Nullable String brokerUrl,
            @Nullable EmbeddedActiveMQ embeddedBroker) {
        String url = properties.broker() == ScaleProperties.Broker.EMBEDDED
                ? "tcp://localhost:" + properties.brokerPort()
                : brokerUrl;
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("--scale.role="
                    + properties.role().name().toLowerCase(java.util.Locale.ROOT)
                    + " needs a broker: --spring.artemis.broker-url=tcp://HOST:PORT (or, on the manager,"
                    + " --scale.broker=embedded)");
        }
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url);
        factory.setConsumerWindowSize(0);
        return factory;
    }
}
