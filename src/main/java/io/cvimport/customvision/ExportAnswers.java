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

    /** GetTags' answer: the list of the project's tags, of which we need the number. */
    static int tagCount(JsonNode node) {
        if (!node.isArray()) {
            throw new CustomVisionClient.MalformedAnswer("expected a list of tags");
        }
        return node.size();
    }

    private static int count(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 0) {
            throw new CustomVisionClient.MalformedAnswer("project export without a count in " + field);
        }
        return value.asInt();
    }
}
