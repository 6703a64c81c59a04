package io.cvimport.scale;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code scale.*}: whether this process runs the whole job, or one side of remote partitioning.
 *
 * @param role             single: one process does everything; manager: load, the partitioned import (its
 *                         partitions sent to workers over the broker) and the report; worker: runs the import
 *                         partitions it receives until stopped
 * @param broker           external: the broker of spring.artemis.broker-url; embedded: the manager hosts an
 *                         Artemis broker itself
 * @param brokerPort       the TCP port of the manager's embedded broker
 * @param workerPartitions partitions a worker runs at once
 */
@ConfigurationProperties("scale")
public record ScaleProperties(@DefaultValue("single") Role role, @DefaultValue("external") Broker broker,
        @DefaultValue("61616") int brokerPort, @DefaultValue("1") int workerPartitions) {

    public enum Role {
        SINGLE, MANAGER, WORKER
    }

    public enum Broker {
        EXTERNAL, EMBEDDED
    }

    public ScaleProperties {
        if (brokerPort < 1 || brokerPort > 65535 || workerPartitions < 1) {
            throw new IllegalArgumentException("scale.broker-port must be a TCP port and scale.worker-partitions"
                    + " at least 1");
        }
        if (broker == Broker.EMBEDDED && role != Role.MANAGER) {
            throw new IllegalArgumentException("--scale.broker=embedded is for the manager (--scale.role=manager):"
                    + " workers connect to it with --spring.artemis.broker-url=tcp://MANAGER-HOST:" + brokerPort);
        }
    }

    boolean remote() {
        return role != Role.SINGLE;
    }
}
