package io.cvimport.customvision;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class RetryAfterTest {

    private final Instant now = Instant.parse("2026-11-29T10:00:00Z");

    @Test
    void seconds() {
        assertThat(RetryAfter.parse("7", null, now)).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void httpDate() {
        assertThat(RetryAfter.parse("Sun, 29 Nov 2026 10:00:30 GMT", null, now)).isEqualTo(Duration.ofSeconds(30));
        assertThat(RetryAfter.parse("Sun, 29 Nov 2026 09:00:00 GMT", null, now)).isEqualTo(Duration.ZERO);
    }

    @Test
    void fromTheMessageWhenTheHeaderIsAbsent() {
        assertThat(RetryAfter.parse(null, "Requests are throttled. Please retry after 12 seconds.", now))
                .isEqualTo(Duration.ofSeconds(12));
        assertThat(RetryAfter.parse("", "retry after 1 second", now)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void nothingSaid() {
        assertThat(RetryAfter.parse(null, "Rate limit is exceeded.", now)).isNull();
        assertThat(RetryAfter.parse("soon", null, now)).isNull();
    }
}
