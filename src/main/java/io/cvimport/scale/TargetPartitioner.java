package io.cvimport.scale;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;

import io.cvimport.ledger.ImportLedger;
import io.cvimport.ledger.RowStatus;

/**
 * Splits the ledger's open rows by target ({@link Partition} says which target is whose) and
 * names the partitions that have any: a partition whose rows are all finished is not started
 * again, so a restart resumes only the partitions that did not complete. Rows the input must
 * be streamed for may belong to any partition (their target is known only once read), so
 * while there are such rows every partition starts. Each partition's context holds its
 * number and the count, nothing else: never a row, a token or a key.
 */
class TargetPartitioner implements Partitioner {

    private final ImportLedger ledger;
    private final long instance;

    TargetPartitioner(ImportLedger ledger, long instance) {
        this.ledger = ledger;
        this.instance = instance;
    }

    @Override
    public Map<String, ExecutionContext> partition(int gridSize) {
        TreeSet<Integer> open = new TreeSet<>();
        if (ledger.anyStreamed(instance, RowStatus.OPEN)) {
            for (int number = 0; number < gridSize; number++) {
                open.add(number);
            }
        }
        else {
            for (String target : ledger.targetsAtOffsets(instance, RowStatus.OPEN)) {
                open.add(Partition.of(target, gridSize));
            }
        }
        Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
        for (int number : open) {
            ExecutionContext context = new ExecutionContext();
            new Partition(number, gridSize).writeTo(context);
            partitions.put(name(number, gridSize), context);
        }
        return partitions;
    }

    /** The partition's name (its step execution's: {@code import:<name>}); with the count: a new count, new names. */
    static String name(int number, int count) {
        return "partition" + number + "of" + count;
    }
}
