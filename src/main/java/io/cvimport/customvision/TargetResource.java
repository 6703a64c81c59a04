package io.cvimport.customvision;

import java.net.URI;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A Custom Vision resource that projects are imported into (or, for ExportProject,
 * exported from): an endpoint and a training key. Two rows with the same endpoint and key name the same target. {@link #toString()}
 * shows the fingerprint, never the key.
 * <p>
 * A value, as a record would be, with its fingerprint made once: the engine's owner thread
 * asks a lane's target for it at every look at the lane, and a SHA-256 each time was most of
 * that thread's CPU (docs/benchmark.md).
 */
public final class TargetResource {

    private final Region region;
    private final URI endpoint;
    private final String key;
    /** Made on first use; a race makes the same string twice, which is harmless. */
    private @Nullable String fingerprint;

    public TargetResource(Region region, URI endpoint, String key) {
        this.region = Objects.requireNonNull(region, "region");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.key = Objects.requireNonNull(key, "key");
    }

    public Region region() {
        return region;
    }

    public URI endpoint() {
        return endpoint;
    }

    public String key() {
        return key;
    }

    public String fingerprint() {
        String made = fingerprint;
        if (made == null) {
            made = Fingerprint.of(endpoint + "\n" + key);
            fingerprint = made;
        }
        return made;
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof TargetResource that && region.equals(that.region) && endpoint.equals(that.endpoint)
                && key.equals(that.key);
    }

    @Override
    public int hashCode() {
        return Objects.hash(region, endpoint, key);
    }

    @Override
    public String toString() {
        return region.apiName() + "/" + fingerprint();
    }
}
