package io.cvimport.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/** Which partition a target is in: a documented function, the same on every JVM, one partition per target. */
class PartitionTest {

    @Test
    void theFunctionIsTheDocumentedOneAndPinned() {
        // Computed outside Java (Python: int.from_bytes(sha256(fp.encode()).digest()[:4], "big") % count).
        // These may never change, or a restarted run would give a partition's targets to another.
        assertThat(Partition.of("2dace1802b194bd0", 4)).isEqualTo(2);
        assertThat(Partition.of("2dace1802b194bd0", 7)).isEqualTo(2);
        assertThat(Partition.of("87c2cdc848b12991", 4)).isEqualTo(3);
    }

    @Test
    void everyTargetIsInExactlyOnePartitionAndUnknownTargetsInPartitionZero() {
        for (int i = 0; i < 500; i++) {
            String target = String.format("%016x", i * 7919L);
            long holders = IntStream.range(0, 5).filter(n -> new Partition(n, 5).holds(target)).count();
            assertThat(holders).as("partitions holding %s", target).isEqualTo(1);
        }
        assertThat(new Partition(0, 3).holds(null)).isTrue();
        assertThat(new Partition(1, 3).holds(null)).isFalse();
        assertThat(Partition.WHOLE.holds(null)).isTrue();
        assertThat(Partition.WHOLE.holds("2dace1802b194bd0")).isTrue();
    }

    @Test
    void aStepExecutionCarriesItsNumberAndCountOnly() {
        ExecutionContext context = new ExecutionContext();
        new Partition(2, 4).writeTo(context);
        assertThat(context.toMap()).containsOnlyKeys(Partition.NUMBER_KEY, Partition.COUNT_KEY);
        assertThat(Partition.of(context)).isEqualTo(new Partition(2, 4));
        assertThat(Partition.of(new ExecutionContext())).isEqualTo(Partition.WHOLE);
        assertThatThrownBy(() -> new Partition(4, 4)).isInstanceOf(IllegalArgumentException.class);
    }
}
