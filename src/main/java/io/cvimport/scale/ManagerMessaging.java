package io.cvimport.scale;

import jakarta.jms.ConnectionFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jms.core.JmsTemplate;
import io.cvimport.imports.sending.Sender;

/**
 * The manager's side of the broker: each partition's request, as text, onto the partitions
 * queue. A manager sends a few requests a run (one per partition, one per partition sent
 * again), so a plain {@link JmsTemplate} does it; Spring Integration, which the worker's
 * step needs to receive them, would only add its infrastructure (some 300 classes) to the
 * manager's start.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "scale.role", havingValue = "manager")
class ManagerMessaging {

    @Bean
    PartitionRequests.Sender partitionRequests(ConnectionFactory connectionFactory) {
        JmsTemplate jms = new JmsTemplate(connectionFactory);
        return request -> jms.convertAndSend(PartitionRequests.QUEUE, PartitionRequests.toText(request));
    }
}
