package io.cvimport.sources;

import java.io.PrintStream;
import java.util.List;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import io.cvimport.ledger.LedgerKey;

/**
 * The summary's lines on source rows: what the expansion of whole source resources found in
 * this execution (and how many projects were made since the last listing), and how many
 * imported source projects were verified, found different, or could not be checked.
 */
@Component
public class SourceSummary {

    private final NamedParameterJdbcTemplate jdbc;

    public SourceSummary(JdbcTemplate jdbcTemplate) {
        this.jdbc = new NamedParameterJdbcTemplate(jdbcTemplate);
    }

    /** Prints nothing for an input without source rows. */
    public void print(PrintStream out, JobExecution execution) {
        for (StepExecution step : execution.getStepExecutions()) {
            ExecutionContext context = step.getExecutionContext();
            if (step.getStepName().equals(ExpansionTasklet.STEP_NAME) && context.containsKey(ExpansionTasklet.PROJECTS)
                    && context.getInt(ExpansionTasklet.RESOURCES) > 0) {
                int added = context.getInt(ExpansionTasklet.NEW_PROJECTS);
                int refused = context.getInt(ExpansionTasklet.REFUSED_FOR_LIMIT);
                out.println("  whole source resources: " + context.getInt(ExpansionTasklet.RESOURCES) + " listed, "
                        + context.getInt(ExpansionTasklet.PROJECTS) + " projects, " + added
                        + (added == 1 ? " new project" : " new projects") + " in this run"
                        + (refused == 0 ? "" : ", " + refused + " refused: past their target's project limit"));
            }
        }
        List<long[]> verified = jdbc.query("""
                SELECT SUM(CASE WHEN verified THEN 1 ELSE 0 END) AS yes, SUM(CASE WHEN NOT verified THEN 1 ELSE 0 END)
                       AS no, SUM(CASE WHEN verified IS NULL THEN 1 ELSE 0 END) AS unchecked
                FROM import_ledger WHERE job_instance_id = :instance AND status = 'SUCCEEDED'
                AND source_project IS NOT NULL
                """, new MapSqlParameterSource("instance", LedgerKey.of(execution)),
                (rs, i) -> new long[] { rs.getLong("yes"), rs.getLong("no"), rs.getLong("unchecked") });
        long[] counts = verified.isEmpty() ? new long[3] : verified.get(0);
        if (counts[0] + counts[1] + counts[2] > 0) {
            out.println("  verified source projects: " + counts[0] + " as exported, " + counts[1]
                    + " different (verified=false), " + counts[2] + " not checked");
        }
    }
}
