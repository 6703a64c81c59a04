package io.cvimport.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.NumberUtils;

/**
 * A text read as Spring Boot reads a configuration value of a type: a duration in either of its
 * styles ({@code 30s}, {@code PT1H}), a number as Spring parses it, a boolean in Spring's words,
 * an enum constant in any case and with any separators (Boot's lenient rule), a URI.
 */
final class ValueForms {

    private static final List<String> TRUE = List.of("true", "on", "yes", "1");
    private static final List<String> FALSE = List.of("false", "off", "no", "0");

    private ValueForms() {
    }

    /** The value, or an IllegalArgumentException when the text is not one; a type not listed here passes as text. */
    static @Nullable Object convert(String text, Class<?> type) {
        String value = text.trim();
        if (type == String.class) {
            return text;
        }
        if (value.isEmpty()) {
            return null;
        }
        if (type == java.time.Duration.class) {
            return DurationStyle.detectAndParse(value);
        }
        if (Number.class.isAssignableFrom(type)) {
            return NumberUtils.parseNumber(value, type.asSubclass(Number.class));
        }
        if (type == Boolean.class) {
            String lower = value.toLowerCase(Locale.ROOT);
            if (TRUE.contains(lower) || FALSE.contains(lower)) {
                return TRUE.contains(lower);
            }
            throw new IllegalArgumentException("not a boolean: " + value);
        }
        if (type == URI.class) {
            try {
                return new URI(value);
            }
            catch (URISyntaxException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        if (type.isEnum()) {
            return Arrays.stream(type.getEnumConstants()).filter(c -> canonical(c.toString()).equals(canonical(value)))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException("no such constant: " + value));
        }
        return text;
    }

    private static String canonical(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
