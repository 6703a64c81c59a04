package io.cvimport.scale;

import jakarta.jms.ConnectionFactory;

import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.config.EnableIntegration;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.integration.jms.dsl.Jms;

/** The manager's side of the broker: each partition's request, as text, onto the partitions queue. */
@Configuration(proxyBeanMethods = false)
// Boot's auto-configuration of Spring Integration is a starter this job does not need otherwise.
@EnableIntegration
@ConditionalOnProperty(name = "scale.role", havingValue = "manager")
class ManagerMessaging {

    @Bean
    DirectChannel partitionRequests() {
        return new DirectChannel();
    }

    @Bean
    IntegrationFlow partitionRequestsToBroker(DirectChannel partitionRequests, ConnectionFactory connectionFactory) {
        return IntegrationFlow.from(partitionRequests)
                .transform(StepExecutionRequest.class, PartitionRequests::toText)
                .handle(Jms.outboundAdapter(connectionFactory).destination(PartitionRequests.QUEUE))
                .get();
    }
}
