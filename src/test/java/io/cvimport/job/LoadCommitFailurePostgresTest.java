package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.cvimport.customvision.Fingerprint;
import io.cvimport.ledger.RowStatus;
import io.cvimport.support.Postgres;

/**
 * Commits the database refuses late, as a connection cut at that instant does. A load chunk
 * that the database refuses late (at its commit, or as the step records the
 * reader's position in the chunk's transaction, as a connection cut at that instant does):
 * the chunk's rows and that record roll back together, but the step still ends by recording
 * the position it holds in memory, past the chunk. The load step's restart position is the
 * ledger's, so the restart loads that chunk and no row is lost. PostgreSQL refuses once
 * through a trigger that raises a connection failure. A step's record refused at its commit
 * is written again once the database answers, from the version the database still holds.
 * A context of its own: another database.
 */
class LoadCommitFailurePostgresTest extends JobFixture {

    static final int ROWS = 4_500;
    static final int REFUSED_ROW = 2_500;

    @Autowired
    ExecutionRepair repair;

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        Postgres.repository(registry, "load_commit_failure_test");
    }

    @BeforeEach
    void refusals() {
        jdbc.execute("CREATE SEQUENCE IF NOT EXISTS refusals");
    }

    @AfterEach
    void dropTriggers() {
        jdbc.execute("DROP TRIGGER IF EXISTS refuse_once ON import_ledger");
        jdbc.execute("DROP TRIGGER IF EXISTS refuse_once ON batch_step_execution_context");
        jdbc.execute("DROP TRIGGER IF EXISTS refuse_once ON batch_step_execution");
        jdbc.execute("DROP SEQUENCE IF EXISTS refusals");
    }

    /** The database refuses the commit of the chunk that holds row 2,500. */
    @Test
    void aChunkWhoseCommitWasRefusedIsLoadedByTheRestart() throws Exception {
        refuseOnce("import_ledger", "CONSTRAINT TRIGGER", "AFTER INSERT", "DEFERRABLE INITIALLY DEFERRED",
                "NEW.row_no = " + REFUSED_ROW);
        loadsEveryRowAfterARestart("commit", instance -> {
        });
    }

    /**
     * A ledger with a gap below its last row, as an earlier version left it when it resumed
     * from the step's context: the restart loads the rows it lacks, and those after its last.
     */
    @Test
    void rowsMissingBelowTheLastOneAreLoadedByTheRestart() throws Exception {
        refuseOnce("import_ledger", "CONSTRAINT TRIGGER", "AFTER INSERT", "DEFERRABLE INITIALLY DEFERRED",
                "NEW.row_no = " + REFUSED_ROW);
        loadsEveryRowAfterARestart("gap", instance -> jdbc.update(
                "DELETE FROM import_ledger WHERE job_instance_id = ? AND row_no BETWEEN 1001 AND 1500", instance));
    }

    /**
     * The chunk that holds row 2,500 fails as the step records the reader's position in its
     * transaction, as an outage at that instant does: the step then ends and records the
     * position it holds in memory, past the chunk rolled back.
     */
    @Test
    void aChunkWhosePositionCouldNotBeRecordedIsLoadedByTheRestart() throws Exception {
        refuseOnce("batch_step_execution_context", "TRIGGER", "BEFORE UPDATE", "",
                "EXISTS (SELECT 1 FROM import_ledger WHERE row_no = " + REFUSED_ROW
                        + " AND job_instance_id = (SELECT MAX(job_instance_id) FROM batch_job_instance))");
        loadsEveryRowAfterARestart("position", instance -> {
        });
    }

    /**
     * The record of the load step's end (its own transaction, after the last chunk) is refused
     * at its commit, once: the update had raised the step's version in memory, and the write
     * again must start from the version the database still holds, or Batch refuses it as
     * another's update ("wrong version") and the run ends FAILED over a short outage.
     */
    @Test
    void aStepRecordWhoseCommitWasRefusedIsWrittenAgain() throws Exception {
        String key = key(LoadCommitFailurePostgresTest.class, "target");
        emulator.key(key);
        refuseOnce("batch_step_execution", "CONSTRAINT TRIGGER", "AFTER UPDATE", "DEFERRABLE INITIALLY DEFERRED",
                "NEW.step_name = 'load' AND NEW.status = 'COMPLETED'");
        Path input = input("step-record", "token,region,key", List.of("\"" + token("one") + "\",westus2," + key));

        JobExecution execution = launch(input).execution();

        assertThat(jdbc.queryForObject("SELECT last_value FROM refusals", Long.class)).as("refusals").isPositive();
        assertThat(execution.getStatus()).as(execution.getAllFailureExceptions().toString())
                .isEqualTo(BatchStatus.COMPLETED);
        assertThat(statuses(execution)).containsExactly(Map.entry(1L, RowStatus.SUCCEEDED));
        assertThat(emulator.importsOf(key, token("one"))).isEqualTo(1);
    }

    /** A trigger that raises a connection failure the first time its condition holds (a sequence is not rolled back). */
    private void refuseOnce(String table, String kind, String when, String timing, String condition) {
        jdbc.execute("""
                CREATE OR REPLACE FUNCTION refuse_once() RETURNS trigger AS $$
                BEGIN
                    IF %s AND nextval('refusals') = 1 THEN
                        RAISE EXCEPTION 'the connection was cut' USING ERRCODE = '08006';
                    END IF;
                    RETURN NEW;
                END $$ LANGUAGE plpgsql""".formatted(condition));
        jdbc.execute("CREATE %s refuse_once %s ON %s %s FOR EACH ROW EXECUTE FUNCTION refuse_once()"
                .formatted(kind, when, table, timing));
    }

    private void loadsEveryRowAfterARestart(String name, LongConsumer betweenRuns) throws Exception {
        List<String> lines = new ArrayList<>(List.of("token,region,key"));
        Map<Long, String> tokenFps = new HashMap<>();
        for (int i = 1; i <= ROWS; i++) {
            // Expired: judged REJECTED by the load, so no row makes a call.
            String token = "https://cvexports.blob.core.windows.net/exports/" + name + "-" + i
                    + ".zip?sv=2021-08-06&se=2020-01-01T00%3A00%3A00Z&sr=b&sp=r&sig=C" + i;
            lines.add(token + ",westus2,cccccccccccccccccccccccccccccccc");
            tokenFps.put((long) i, Fingerprint.of(token));
        }
        Path input = dir.resolve(name + ".csv");
        Files.write(input, lines);
        JobParameters parameters = parameters(input, dir.resolve("report.csv").toString());

        JobExecution first = jobs.startJob(parameters);
        // UNKNOWN when the step's record was updated in the refused transaction: its last update finds another version.
        assertThat(first.getStatus()).isIn(BatchStatus.FAILED, BatchStatus.UNKNOWN);
        long instance = first.getJobInstance().getInstanceId();
        assertThat(ledgerRows(instance)).as("rows of the chunks before the refused one").isEqualTo(2_000);

        betweenRuns.accept(instance);
        repair.repair(first);
        JobExecution restart = jobs.startJob(parameters);

        assertThat(restart.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(ledgerRows(instance)).isEqualTo(ROWS);
        assertThat(jdbc.queryForObject("SELECT COUNT(DISTINCT row_no) FROM import_ledger WHERE job_instance_id = ?",
                Long.class, instance)).isEqualTo(ROWS);
        Map<Long, String> held = new HashMap<>();
        jdbc.query("SELECT row_no, token_fp FROM import_ledger WHERE job_instance_id = ?",
                (java.sql.ResultSet rs) -> {
                    held.put(rs.getLong(1), rs.getString(2));
                }, instance);
        assertThat(held).as("each row number holds its own row's token").isEqualTo(tokenFps);
        assertThat(Files.readAllLines(dir.resolve("report.csv"))).hasSize(ROWS + 1);
    }

    private long ledgerRows(long instance) {
        Long rows = jdbc.queryForObject("SELECT COUNT(*) FROM import_ledger WHERE job_instance_id = ?", Long.class,
                instance);
        return rows == null ? 0 : rows;
    }
}
