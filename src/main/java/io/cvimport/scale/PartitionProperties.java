package io.cvimport.scale;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * {@code import.partitions}: how many partitions the import step's targets are split into.
 *
 * @param partitions partitions of the import step; 1 runs it as one step, as without partitioning
 */
@ConfigurationProperties("import")
public record PartitionProperties(@DefaultValue("1") int partitions) {

    public PartitionProperties {
        if (partitions < 1) {
            throw new InvalidConfigurationPropertyValueException("import.partitions", partitions, "must be at least 1");
        }
    }
}
