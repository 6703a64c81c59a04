package io.cvimport.customvision;

import java.time.Duration;

import tools.jackson.databind.JsonNode;

/**
 * Reads ExportProject's answer. An answer without a token or a count is not an export;
 * what it says of itself never names the token's value.
 */
final class ExportAnswers {

    private ExportAnswers() {
    }

    static ProjectExport parse(JsonNode node) {
        if (!node.isObject()) {
            throw new CustomVisionClient.MalformedAnswer("expected a project export");
        }
        JsonNode token = node.get("token");
        if (token == null || !token.isString() || token.asString().isBlank()) {
            throw new CustomVisionClient.MalformedAnswer("project export without a token");
        }
        return new ProjectExport(count(node, "iterationCount"), count(node, "imageCount"), count(node, "tagCount"),
                count(node, "regionCount"), Duration.ofMillis(count(node, "estimatedImportTimeInMS")),
                token.asString());
    }

    /** A count read's answer: a bare integer, or a list (of tags, of iterations) whose length is the count. */
    static int count(JsonNode node, ProjectCount what) {
        if (what.list() && node.isArray()) {
            return node.size();
        }
        if (!what.list() && node.isIntegralNumber() && node.canConvertToInt() && node.asInt() >= 0) {
            return node.asInt();
        }
        throw new CustomVisionClient.MalformedAnswer(what.operation() + ": expected "
                + (what.list() ? "a list" : "a count"));
    }

    private static int count(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 0) {
            throw new CustomVisionClient.MalformedAnswer("project export without a count in " + field);
        }
        return value.asInt();
    }
}
