package io.cvimport.sources;

import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.support.transaction.ResourcelessTransactionManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.cvimport.customvision.CustomVisionClient;
import io.cvimport.input.RowJudge;
import io.cvimport.ledger.ImportLedger;
import io.cvimport.ledger.ResourceLinks;
import io.cvimport.plan.PlanProperties;
import io.cvimport.imports.ImportProperties;

/** The expansion step, between the load step and the import step (and first in a later pass). */
@Configuration(proxyBeanMethods = false)
class SourcesConfiguration {

    /** The job parameter that names the input (the job's, see io.cvimport.job). */
    private static final String INPUT_PATH = "input.path";

    @Bean
    ResourceExpansion resourceExpansion(ExpandedRows rows, ImportLedger ledger, ResourceLinks resources,
            RowJudge rowJudge, CustomVisionClient client, ImportProperties properties, PlanProperties limits) {
        return new ResourceExpansion(rows, ledger, resources, rowJudge, client, properties, limits);
    }

    /** Its work commits in the ledger, one source resource at a time: the step holds no transaction of its own. */
    @Bean
    Step expandStep(JobRepository jobRepository, ResourceExpansion expansion) {
        return new StepBuilder(ExpansionTasklet.STEP_NAME, jobRepository)
                .tasklet(new ExpansionTasklet(expansion, INPUT_PATH), new ResourcelessTransactionManager())
                .build();
    }
}
