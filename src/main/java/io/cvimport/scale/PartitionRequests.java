package io.cvimport.scale;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.batch.integration.partition.StepExecutionRequest;
import io.cvimport.imports.sending.Sender;

/**
 * What crosses the broker for a partition: the step's name and the id of the partition's
 * step execution, as a JSON text message, nothing else. The worker finds the rest in the
 * job repository (its partition number) and on its own machine (the input, the keys of
 * its environment). Text rather than a serialized Java object: readable on the broker's
 * console, and no class to allow for deserialization.
 */
final class PartitionRequests {

    /** The queue of partition requests on the broker. */
    static final String QUEUE = "cvimport.import-partitions";
    private static final Pattern REQUEST = Pattern
            .compile("\\{\"stepName\":\"([A-Za-z0-9_:.-]+)\",\"stepExecutionId\":(\\d+)}");

    private PartitionRequests() {
    }

    /** Puts a request on the queue. */
    @FunctionalInterface
    interface Sender {
        void send(StepExecutionRequest request);
    }

    static String toText(StepExecutionRequest request) {
        if (!REQUEST.matcher(json(request.getStepName(), request.getStepExecutionId())).matches()) {
            throw new IllegalArgumentException("not a step name: " + request.getStepName());
        }
        return json(request.getStepName(), request.getStepExecutionId());
    }

    static StepExecutionRequest fromText(String text) {
        Matcher matcher = REQUEST.matcher(text.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a partition request: " + text);
        }
        return new StepExecutionRequest(matcher.group(1), Long.parseLong(matcher.group(2)));
    }

    private static String json(String stepName, long stepExecutionId) {
        return "{\"stepName\":\"" + stepName + "\",\"stepExecutionId\":" + stepExecutionId + "}";
    }
}
