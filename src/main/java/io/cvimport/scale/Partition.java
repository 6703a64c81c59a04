package io.cvimport.scale;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import org.jspecify.annotations.Nullable;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * The share of the targets one execution of the import step works: partition {@code number}
 * of {@code count}. A target belongs to partition
 * {@code unsigned(first 4 bytes, big-endian, of SHA-256(UTF-8 target fingerprint)) mod count},
 * the same in every JVM and on every machine (unlike {@code String.hashCode}, which is only
 * specified, not promised stable, and clusters on similar strings). A row whose target is not
 * known (its key variable unset at load and still unset, or the row gone from the input) is
 * partition 0's, so that exactly one partition accounts for it.
 */
public record Partition(int number, int count) {

    /** The execution context keys of a partition's step execution: its number and the count; nothing else. */
    public static final String NUMBER_KEY = "import.partition";
    public static final String COUNT_KEY = "import.partitions";
    /** Every target: the import step of a job that is not partitioned. */
    public static final Partition WHOLE = new Partition(0, 1);

    public Partition {
        if (count < 1 || number < 0 || number >= count) {
            throw new IllegalArgumentException("partition " + number + " of " + count);
        }
    }

    /** The partition a step execution works: WHOLE unless its context names one. */
    public static Partition of(ExecutionContext context) {
        return context.containsKey(NUMBER_KEY) && context.containsKey(COUNT_KEY)
                ? new Partition(context.getInt(NUMBER_KEY), context.getInt(COUNT_KEY))
                : WHOLE;
    }

    /** The partition of {@code count} that a target (by fingerprint) belongs to. */
    public static int of(String targetFingerprint, int count) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(targetFingerprint.getBytes(StandardCharsets.UTF_8));
            return (int) (Integer.toUnsignedLong(ByteBuffer.wrap(digest, 0, 4).getInt()) % count);
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Whether this partition works the target (null: a row whose target is not known). */
    public boolean holds(@Nullable String targetFingerprint) {
        if (count == 1) {
            return true;
        }
        return targetFingerprint == null ? number == 0 : of(targetFingerprint, count) == number;
    }

    public void writeTo(ExecutionContext context) {
        context.putInt(NUMBER_KEY, number);
        context.putInt(COUNT_KEY, count);
    }

    public boolean whole() {
        return count == 1;
    }

    @Override
    public String toString() {
        return "partition " + number + " of " + count;
    }
}
