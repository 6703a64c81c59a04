package io.cvimport.imports.lanes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.cvimport.customvision.ServerDate;

/** How a target's answers bound the service's clock, and so a lost import's creation window. */
class ServiceClockTest {

    private static final long TOLERANCE = 2_000;

    private final ServiceClock clock = new ServiceClock();

    @Test
    void withoutAnyAnswerTheToleranceWidensTheWindow() {
        assertThat(clock.creationWindow(10_000, 11_000, TOLERANCE)).containsExactly(10_000 - TOLERANCE - 2,
                11_000 + TOLERANCE + 2);
    }

    @Test
    void aDateHeaderAloneMovesTheWindowOntoTheServicesClockToTheSecond() {
        // Sent at 1,000, received at 1,100; the service's clock read 5:00.000 (its 5,000..5,999).
        clock.observe(new ServerDate(1_000, 1_100, Instant.ofEpochMilli(5_000)));
        long[] window = clock.creationWindow(10_000, 10_050, TOLERANCE);
        assertThat(window).containsExactly(10_000 + 3_900 - 2, 10_050 + 4_999 + 2);
    }

    @Test
    void answeredImportsNarrowItToTheirRoundTripAndOverrideDateHeaders() {
        clock.observe(new ServerDate(1_000, 1_100, Instant.ofEpochMilli(5_000)));
        clock.observe(1_000, 1_040, Instant.ofEpochMilli(5_530));
        long[] window = clock.creationWindow(10_000, 10_050, TOLERANCE);
        assertThat(window).containsExactly(10_000 + 4_490 - 2, 10_050 + 4_530 + 2);
    }

    @Test
    void aListingAloneOnlyBoundsHowFarBehindTheServiceIs() {
        // A project created at 9,000 on its clock was listed by our 4,000: it is at least 5,000 ahead.
        clock.observeListed(Instant.ofEpochMilli(9_000), 4_000);
        long[] window = clock.creationWindow(10_000, 10_050, TOLERANCE);
        assertThat(window).containsExactly(10_000 + 5_000 - 2, 10_050 + 5_000 + TOLERANCE + 2);
    }
}
