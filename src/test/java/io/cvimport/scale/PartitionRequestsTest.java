package io.cvimport.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.batch.integration.partition.StepExecutionRequest;

/** A partition's request on the broker: the step's name and its execution's id as JSON text, and nothing else. */
class PartitionRequestsTest {

    @Test
    void aRequestIsItsStepNameAndExecutionIdAndReadsBack() {
        String text = PartitionRequests.toText(new StepExecutionRequest("import", 42));
        assertThat(text).isEqualTo("{\"stepName\":\"import\",\"stepExecutionId\":42}");
        StepExecutionRequest back = PartitionRequests.fromText(text);
        assertThat(back.getStepName()).isEqualTo("import");
        assertThat(back.getStepExecutionId()).isEqualTo(42L);
    }

    @Test
    void anythingElseIsRefused() {
        assertThatThrownBy(() -> PartitionRequests.fromText("{\"stepName\":\"import\",\"stepExecutionId\":42,"
                + "\"key\":\"x\"}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PartitionRequests.toText(new StepExecutionRequest("import\",\"x\":\"y", 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
