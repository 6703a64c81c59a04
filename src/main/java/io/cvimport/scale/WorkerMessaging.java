package io.cvimport.scale;

import java.time.Duration;

import jakarta.jms.ConnectionFactory;

import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.infrastructure.support.transaction.ResourcelessTransactionManager;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.batch.integration.partition.RemotePartitioningWorkerStepBuilder;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.config.EnableIntegration;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.integration.jms.dsl.Jms;
import io.cvimport.imports.step.ImportTasklet;


/**
 * The worker's side: requests taken from the partitions queue ({@code scale.worker-partitions}
 * at once) and run by the import tasklet as the partition's step execution, which the
 * worker reads from the job repository. The manager learns the outcome from the repository.
 * A request is received in a JMS transaction that commits when the partition's step has
 * ended, and run only if its step execution has not started and this worker claims it
 * ({@link PartitionAdmission}): a worker killed before it claimed a request leaves it to
 * another worker; a partition whose worker died after is the manager's to send again, as a
 * new step execution, once that worker's lease is not renewed ({@link LeasedPartitionHandler}).
 */
@Configuration(proxyBeanMethods = false)
// Boot's auto-configuration of Spring Integration is a starter this job does not need otherwise.
@EnableIntegration
@ConditionalOnProperty(name = "scale.role", havingValue = "worker")
class WorkerMessaging {

    /** How often a worker tries a broker it cannot reach, and how often it says it still cannot. */
    private static final Duration BROKER_RETRY = Duration.ofMillis(500);
    private static final Duration BROKER_REMINDER = Duration.ofMinutes(10);

    /** The name the manager's requests give the step: the partitioned step's. */
    static final String STEP_NAME = "import";

    @Bean
    DirectChannel workerRequests() {
        return new DirectChannel();
    }

    @Bean
    IntegrationFlow brokerToWorker(DirectChannel workerRequests, ConnectionFactory connectionFactory,
            ScaleProperties properties, JobRepository jobRepository, PartitionWorkers workers, WorkerLease lease) {
        PartitionAdmission admission = new PartitionAdmission(jobRepository, workers, lease);
        BrokerWaitingContainer container = new BrokerWaitingContainer(BROKER_RETRY, BROKER_REMINDER);
        container.setConnectionFactory(connectionFactory);
        container.setDestinationName(PartitionRequests.QUEUE);
        container.setConcurrentConsumers(properties.workerPartitions());
        container.setMaxConcurrentConsumers(properties.workerPartitions());
        // Taken for good only once the partition's step has ended here: when this
        // worker dies mid-partition, the broker gives the request to another worker.
        container.setSessionTransacted(true);
        return IntegrationFlow.from(Jms.messageDrivenChannelAdapter(container))
                .transform(String.class, PartitionRequests::fromText)
                .filter(StepExecutionRequest.class, admission::admit)
                .channel(workerRequests)
                .get();
    }

    /** The step a partition runs: the import tasklet, which reads its partition from the step execution. */
    @Bean
    WorkerStep workerStep(JobRepository jobRepository, DirectChannel workerRequests, ImportTasklet importTasklet,
            BeanFactory beanFactory) {
        WorkerStep located = new WorkerStep();
        located.step = new RemotePartitioningWorkerStepBuilder(STEP_NAME, jobRepository)
                .inputChannel(workerRequests)
                .stepLocator(name -> STEP_NAME.equals(name) ? located.step : null)
                .beanFactory(beanFactory)
                .tasklet(importTasklet, new ResourcelessTransactionManager())
                .build();
        return located;
    }

    /** Holds the worker's step, which its own locator must find. */
    static final class WorkerStep {
        volatile @Nullable Step step;
    }
}
