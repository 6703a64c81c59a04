package io.cvimport.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cvimport.customvision.CustomVisionClient;
import io.cvimport.customvision.Region;
import io.cvimport.customvision.TargetResource;
import io.cvimport.emulator.CustomVisionEmulator;
import tools.jackson.databind.json.JsonMapper;

/** One listing per resource over real HTTP: shared by its targets, past a refused key, after a 429. */
class ResourceListingsTest {

    static final String KEY = "11111111111111111111111111111111";
    static final String ROTATED = "22222222222222222222222222222222";
    static final String REFUSED = "33333333333333333333333333333333";

    CustomVisionEmulator emulator;
    CloseableHttpClient http;
    CustomVisionClient client;

    @BeforeEach
    void start() throws Exception {
        emulator = new CustomVisionEmulator().key(KEY).linkKey(ROTATED, KEY);
        emulator.createForeignProject(KEY);
        http = HttpClients.custom().disableAutomaticRetries().disableRedirectHandling().build();
        client = new CustomVisionClient(http, JsonMapper.builder().build(), Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() throws Exception {
        http.close();
        emulator.close();
    }

    TargetResource target(String key) {
        return new TargetResource(Region.WEST_US_2, emulator.endpoint(), key);
    }

    @Test
    void aRefusedKeyIsOneCallThenTheResourcesNextKeyListsForAllOfItsTargets() throws Exception {
        ResourceListings listings = new ResourceListings(client, 4, 3, Duration.ofSeconds(5));

        Map<String, TargetCheck> checks = listings.list(List.of(new ResourceListings.Resource("r",
                List.of(target(REFUSED), target(KEY), target(ROTATED)), 10)));

        assertThat(checks.get(target(REFUSED).fingerprint())).isInstanceOfSatisfying(TargetCheck.Refused.class,
                refused -> assertThat(refused.code()).isEqualTo("401"));
        assertThat(checks.get(target(KEY).fingerprint())).isInstanceOfSatisfying(TargetCheck.Listed.class, listed -> assertThat(listed.projects()).isEqualTo(1));
        assertThat(checks.get(target(ROTATED).fingerprint())).isInstanceOfSatisfying(TargetCheck.Listed.class, listed -> assertThat(listed.projects()).isEqualTo(1));
        assertThat(emulator.listings(KEY)).isEqualTo(1);
        assertThat(listings.calls()).isEqualTo(2);
    }

    @Test
    void aThrottledListingIsSentAgainAfterRetryAfterAndAnUnansweredOneChecksNothing() throws Exception {
        emulator.throttleNext(2);
        ResourceListings listings = new ResourceListings(client, 4, 3, Duration.ofSeconds(5));

        Map<String, TargetCheck> checks = listings.list(List.of(new ResourceListings.Resource("r",
                List.of(target(KEY)), 1)));

        assertThat(checks.get(target(KEY).fingerprint())).isInstanceOfSatisfying(TargetCheck.Listed.class, listed -> assertThat(listed.projects()).isEqualTo(1));
        assertThat(emulator.throttled()).isEqualTo(2);
        assertThat(listings.calls()).isEqualTo(3);

        emulator.failReads(true);
        ResourceListings failing = new ResourceListings(client, 4, 2, Duration.ofMillis(100));
        assertThat(failing.list(List.of(new ResourceListings.Resource("r", List.of(target(KEY)), 10)))
                .get(target(KEY).fingerprint())).isInstanceOf(TargetCheck.Unchecked.class);
        assertThat(failing.calls()).isEqualTo(2);
    }
}
