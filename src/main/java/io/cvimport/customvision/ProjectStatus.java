package io.cvimport.customvision;

import org.jspecify.annotations.Nullable;

/** The {@code status} of a Project. Unknown values are kept as {@link #OTHER}. */
public enum ProjectStatus {
    SUCCEEDED, IMPORTING, FAILED, OTHER;

    static ProjectStatus parse(@Nullable String value) {
        return switch (value == null ? "" : value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "succeeded" -> SUCCEEDED;
            case "importing" -> IMPORTING;
            case "failed" -> FAILED;
            default -> OTHER;
        };
    }
}
