package io.cvimport.customvision;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code customvision.*}: where the service is and how long to wait for it.
 *
 * @param endpoint        one endpoint for every region (private endpoint, emulator)
 * @param endpoints       an endpoint per region, by region name
 * @param connectTimeout  to open a connection
 * @param responseTimeout to wait for an answer once the request is sent
 */
@ConfigurationProperties("customvision")
public record CustomVisionProperties(@Nullable URI endpoint, @DefaultValue Map<String, URI> endpoints,
        @DefaultValue("10s") Duration connectTimeout, @DefaultValue("60s") Duration responseTimeout) {

    public Endpoints toEndpoints() {
        return new Endpoints(endpoint, endpoints);
    }
}
