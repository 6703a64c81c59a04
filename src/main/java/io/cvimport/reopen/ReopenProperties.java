package io.cvimport.reopen;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code import.*} options that give finished rows a way out on the same command (see
 * {@link Reopening}); {@code import.resend-in-doubt} is in {@link ImportProperties}.
 *
 * @param retryRejected send again rows REJECTED with these error codes (401 also matches Http401), or all
 * @param adopt         ROW:PROJECT_ID (repeatable): the operator's choice of project for an IN_DOUBT row
 */
@ConfigurationProperties("import")
public record ReopenProperties(@DefaultValue List<String> retryRejected, @DefaultValue List<String> adopt) {

    public ReopenProperties {
        adoptions(adopt);
    }

    /** The operator's choices, by row; a malformed one is a bad option (exit 2). */
    public Map<Long, String> adoptions() {
        return adoptions(adopt);
    }

    private static Map<Long, String> adoptions(List<String> adopt) {
        Map<Long, String> byRow = new LinkedHashMap<>();
        Map<String, Long> rowOf = new HashMap<>();
        for (String choice : adopt) {
            String[] parts = choice.trim().split(":", 2);
            try {
                if (parts.length == 2 && !parts[1].isBlank() && byRow.put(Long.parseLong(parts[0]), parts[1]) == null) {
                    continue;
                }
            }
            catch (NumberFormatException notARow) {
                // reported below
            }
            throw new IllegalArgumentException("--import.adopt takes ROW:PROJECT_ID, once per row: " + choice);
        }
        // One project can have been made by one import only: two rows adopting it would both claim it.
        byRow.forEach((row, project) -> {
            Long other = rowOf.putIfAbsent(project.trim().toLowerCase(Locale.ROOT), row);
            if (other != null) {
                throw new IllegalArgumentException("--import.adopt names project " + project + " for rows " + other
                        + " and " + row + "; a project can be adopted by one row only");
            }
        });
        return byRow;
    }

    /** Whether rows REJECTED with this code are sent again. */
    public boolean retries(String errorCode) {
        return retryRejected.stream().map(String::trim).anyMatch(code -> code.equalsIgnoreCase("all")
                || code.equalsIgnoreCase(errorCode) || ("Http" + code).equalsIgnoreCase(errorCode));
    }
}
