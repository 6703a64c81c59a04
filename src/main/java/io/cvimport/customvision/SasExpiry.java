package io.cvimport.customvision;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import org.jspecify.annotations.Nullable;

/** The signed expiry ({@code se=}) of an export token, a SAS URL: the row's in the input, the one an export mints. */
public final class SasExpiry {

    private SasExpiry() {
    }

    /** The token's expiry, or null when it has no readable one (the service then judges the token). */
    public static @Nullable Instant of(String token) {
        String query;
        try {
            query = URI.create(token.trim()).getRawQuery();
        }
        catch (IllegalArgumentException notAUri) {
            return null;
        }
        if (query == null) {
            return null;
        }
        for (String part : query.split("&")) {
            if (part.startsWith("se=")) {
                try {
                    return Instant.parse(URLDecoder.decode(part.substring(3), StandardCharsets.UTF_8));
                }
                catch (DateTimeParseException | IllegalArgumentException unreadable) {
                    return null;
                }
            }
        }
        return null;
    }
}
