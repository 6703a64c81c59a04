package io.cvimport.customvision;

import java.net.URI;

/**
 * A Custom Vision resource that projects are imported into (or, for ExportProject,
 * exported from): an endpoint and a training key. Two rows with the same endpoint and key name the same target. {@link #toString()}
 * shows the fingerprint, never the key.
 */
public record TargetResource(Region region, URI endpoint, String key) {

    public String fingerprint() {
        return Fingerprint.of(endpoint + "\n" + key);
    }

    @Override
    public String toString() {
        return region.apiName() + "/" + fingerprint();
    }
}
