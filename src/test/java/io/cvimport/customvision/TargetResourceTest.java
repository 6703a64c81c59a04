package io.cvimport.customvision;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class TargetResourceTest {

    private static final URI ENDPOINT = URI.create("https://westeurope.api.cognitive.microsoft.com/");

    @Test
    void aFingerprintIsTheFirstSixteenHexDigitsOfTheSecretsSha256() {
        // SHA-256("abc") = ba7816bf 8f01cfea 414140de ...
        assertThat(Fingerprint.of("abc")).isEqualTo("ba7816bf8f01cfea");
    }

    @Test
    void fingerprintsMadeAtOnceOnManyThreadsAgree() {
        List<String> made = IntStream.range(0, 2_000).parallel().mapToObj(i -> Fingerprint.of("key-" + (i % 2)))
                .distinct().toList();
        assertThat(made).containsExactlyInAnyOrder(Fingerprint.of("key-0"), Fingerprint.of("key-1"));
    }

    @Test
    void aTargetIsItsRegionEndpointAndKey() {
        TargetResource target = new TargetResource(Region.WEST_EUROPE, ENDPOINT, "secret-key-1");
        TargetResource same = new TargetResource(Region.WEST_EUROPE, ENDPOINT, "secret-key-1");
        TargetResource otherKey = new TargetResource(Region.WEST_EUROPE, ENDPOINT, "secret-key-2");

        assertThat(target).isEqualTo(same).hasSameHashCodeAs(same).isNotEqualTo(otherKey);
        assertThat(target.fingerprint()).isEqualTo(same.fingerprint()).isNotEqualTo(otherKey.fingerprint())
                .isEqualTo(Fingerprint.of(ENDPOINT + "\n" + "secret-key-1"));
        assertThat(target.fingerprint()).isSameAs(target.fingerprint());
    }

    @Test
    void itsTextNamesTheRegionAndFingerprintNeverTheKey() {
        TargetResource target = new TargetResource(Region.WEST_EUROPE, ENDPOINT, "secret-key-1");

        assertThat(target.toString()).isEqualTo("westeurope/" + target.fingerprint()).doesNotContain("secret");
    }
}
