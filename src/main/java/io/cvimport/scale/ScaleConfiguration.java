package io.cvimport.scale;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import io.cvimport.ledger.RunLockTable;
import io.cvimport.ledger.ImportLedger;
import io.cvimport.ledger.LedgerKey;
import io.cvimport.imports.sending.Sender;

/** The partitioning of the import step ({@code import.partitions}), here or over a broker ({@code scale.*}). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ PartitionProperties.class, ScaleProperties.class, BrokerTlsProperties.class })
class ScaleConfiguration {

    @Bean
    PartitionedImport partitionedImport(PartitionProperties properties, ScaleProperties scale,
            JobRepository jobRepository, Partitioner targetPartitioner,
            ObjectProvider<PartitionRequests.Sender> partitionRequests,
            PartitionWorkers workers, JdbcTemplate jdbcTemplate) {
        return new PartitionedImport(properties, scale, jobRepository, targetPartitioner,
                partitionRequests.getIfAvailable(), workers, new RunLockTable(jdbcTemplate));
    }

    /** Of the manager step's execution: the job instance whose ledger it splits. */
    @Bean
    @StepScope
    TargetPartitioner targetPartitioner(ImportLedger ledger, @Value("#{stepExecution}") StepExecution stepExecution) {
        return new TargetPartitioner(ledger, LedgerKey.of(stepExecution.getJobExecution()));
    }
}
