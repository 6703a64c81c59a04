package io.cvimport.customvision;

import org.jspecify.annotations.Nullable;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the two error shapes the service uses: the flat CustomVisionError
 * {@code {"code": "...", "message": "..."}} and the gateway's
 * {@code {"error": {"code": "401", "message": "..."}}}. Anything else (an HTML page,
 * an empty body) keeps the HTTP status as its code.
 */
final class ErrorBodies {

    private ErrorBodies() {
    }

    static ApiError parse(int status, String body, JsonMapper json, CustomVisionClient.Secrets secrets) {
        String code = null;
        String message = null;
        try {
            JsonNode node = body.isBlank() ? null : json.readTree(body);
            if (node != null && node.isObject()) {
                JsonNode inner = node.has("error") && node.get("error").isObject() ? node.get("error") : node;
                code = textOf(inner.get("code"));
                message = textOf(inner.get("message"));
            }
        }
        catch (JacksonException notJson) {
            // fall through to the generic description
        }
        if (code == null || code.isBlank()) {
            code = "Http" + status;
        }
        if (message == null) {
            message = body.isBlank() ? "HTTP " + status + " with an empty body"
                    : "HTTP " + status + ": " + CustomVisionClient.shorten(body);
        }
        return new ApiError(status, code, secrets.scrub(CustomVisionClient.shorten(message)));
    }

    private static @Nullable String textOf(@Nullable JsonNode node) {
        return node == null || node.isNull() ? null : node.asString();
    }
}
