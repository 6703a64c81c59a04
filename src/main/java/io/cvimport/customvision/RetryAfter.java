package io.cvimport.customvision;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * How long the service asked us to wait: the {@code Retry-After} header in seconds or as
 * an HTTP date, or failing that the "retry after N second(s)" of the error message.
 */
public final class RetryAfter {

    private static final Pattern IN_MESSAGE = Pattern.compile("retry after (\\d+) second", Pattern.CASE_INSENSITIVE);

    private RetryAfter() {
    }

    public static @Nullable Duration parse(@Nullable String header, @Nullable String message, Instant now) {
        if (header != null && !header.isBlank()) {
            String value = header.trim();
            if (value.chars().allMatch(Character::isDigit)) {
                return Duration.ofSeconds(Long.parseLong(value));
            }
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(now, at);
                return wait.isNegative() ? Duration.ZERO : wait;
            }
            catch (DateTimeParseException ignored) {
                // an unreadable header: try the message
            }
        }
        if (message != null) {
            Matcher matcher = IN_MESSAGE.matcher(message);
            if (matcher.find()) {
                return Duration.ofSeconds(Long.parseLong(matcher.group(1)));
            }
        }
        return null;
    }
}
