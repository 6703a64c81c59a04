package io.cvimport.customvision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointsTest {

    @Test
    void regionalHostByDefault() {
        Endpoints endpoints = new Endpoints(null, Map.of());
        assertThat(endpoints.of(Region.WEST_US_2)).isEqualTo(URI.create("https://westus2.api.cognitive.microsoft.com"));
        assertThat(endpoints.of(Region.CENTRAL_US_EUAP).getHost()).isEqualTo("centraluseuap.api.cognitive.microsoft.com");
    }

    @Test
    void oneEndpointForAllThenPerRegionOverrides() {
        Endpoints endpoints = new Endpoints(URI.create("https://cv.internal.example"),
                Map.of("West Europe", URI.create("https://weu.internal.example")));
        assertThat(endpoints.of(Region.EAST_US)).isEqualTo(URI.create("https://cv.internal.example"));
        assertThat(endpoints.of(Region.WEST_EUROPE)).isEqualTo(URI.create("https://weu.internal.example"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:9000" })
    void plainHttpOnlyToLoopback(String uri) {
        assertThat(Endpoints.checked(URI.create(uri))).isEqualTo(URI.create(uri));
    }

    @ParameterizedTest
    @ValueSource(strings = { "http://example.com", "http://10.0.0.1", "ftp://127.0.0.1", "http://127.0.0.1.nip.io",
            "https://host/?x=1", "https://user@host" })
    void refusesEverythingElse(String uri) {
        assertThatIllegalArgumentException().isThrownBy(() -> Endpoints.checked(URI.create(uri)));
    }

    @Test
    void unknownRegionInConfiguration() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Endpoints(null, Map.of("atlantis", URI.create("https://x.example"))))
                .withMessageContaining("unknown region");
    }
}
