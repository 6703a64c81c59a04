package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.jdbc.datasource.init.ScriptUtils;

class BatchSchemaMigrationTest {

    @Test
    void createsOnlyWhatIsMissing() {
        String script = "CREATE TABLE A (X INT);\n  create sequence S;\nCREATE TABLE IF NOT EXISTS B (Y INT);\n"
                + "\tCREATE_TIME TIMESTAMP NOT NULL,\n";
        assertThat(BatchSchemaMigration.idempotent(script)).isEqualTo("CREATE TABLE IF NOT EXISTS A (X INT);\n"
                + "  create sequence IF NOT EXISTS S;\nCREATE TABLE IF NOT EXISTS B (Y INT);\n"
                + "\tCREATE_TIME TIMESTAMP NOT NULL,\n");
    }

    @Test
    void springBatchsScriptRunsTwiceOnH2() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:twice;DB_CLOSE_DELAY=-1", "sa", "")) {
            String script = new org.springframework.core.io.ClassPathResource("org/springframework/batch/core/schema-h2.sql")
                    .getContentAsString(java.nio.charset.StandardCharsets.UTF_8);
            for (int i = 0; i < 2; i++) {
                ScriptUtils.executeSqlScript(connection,
                        new ByteArrayResource(BatchSchemaMigration.idempotent(script).getBytes()));
            }
            assertThat(connection.getMetaData().getTables(null, null, "BATCH_JOB_INSTANCE", null).next()).isTrue();
        }
    }
}
