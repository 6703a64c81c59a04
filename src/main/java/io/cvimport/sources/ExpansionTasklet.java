package io.cvimport.sources;

import java.nio.file.Path;

import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import io.cvimport.ledger.LedgerKey;

/**
 * The expansion step: before the import step, lists every whole source resource of the input
 * once ({@link ResourceExpansion}). Its state is the ledger: killed halfway, it runs again on
 * restart and adds only the projects that have no row yet. What it found goes into the step's
 * context for the run's summary (counts only).
 */
final class ExpansionTasklet implements Tasklet {

    static final String STEP_NAME = "expand";
    static final String RESOURCES = "expanded.resources";
    static final String PROJECTS = "expanded.projects";
    static final String NEW_PROJECTS = "expanded.newProjects";
    static final String REFUSED_FOR_LIMIT = "expanded.refusedForLimit";

    private final ResourceExpansion expansion;
    private final String inputParameter;

    ExpansionTasklet(ResourceExpansion expansion, String inputParameter) {
        this.expansion = expansion;
        this.inputParameter = inputParameter;
    }

    @Override
    public @Nullable RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext)
            throws InterruptedException {
        var stepExecution = chunkContext.getStepContext().getStepExecution();
        String input = stepExecution.getJobExecution().getJobParameters().getString(inputParameter);
        ResourceExpansion.Result found = expansion.expand(LedgerKey.of(stepExecution.getJobExecution()),
                Path.of(String.valueOf(input)));
        ExecutionContext context = stepExecution.getExecutionContext();
        context.putInt(RESOURCES, found.resources());
        context.putInt(PROJECTS, found.projects());
        context.putInt(NEW_PROJECTS, found.newProjects());
        context.putInt(REFUSED_FOR_LIMIT, found.refusedForLimit());
        return RepeatStatus.FINISHED;
    }
}
