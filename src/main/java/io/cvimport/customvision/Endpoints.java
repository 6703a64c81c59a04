package io.cvimport.customvision;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Where each region's requests go: the regional host by default, or an override from
 * configuration (never from the input). Only {@code https} is accepted, except plain
 * {@code http} to a loopback host such as an emulator.
 */
public final class Endpoints {

    private final Map<Region, URI> byRegion = new EnumMap<>(Region.class);

    public Endpoints(@Nullable URI everyRegion, Map<String, URI> perRegion) {
        for (Region region : Region.values()) {
            byRegion.put(region, everyRegion != null ? checked(everyRegion)
                    : URI.create("https://" + region.apiName() + ".api.cognitive.microsoft.com"));
        }
        perRegion.forEach((name, uri) -> {
            Region region = Region.find(name).orElseThrow(
                    () -> new IllegalArgumentException("customvision.endpoints." + name + ": unknown region"));
            byRegion.put(region, checked(uri));
        });
    }

    public URI of(Region region) {
        // The constructor put every region in.
        return Objects.requireNonNull(byRegion.get(region));
    }

    static URI checked(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null
                || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("endpoint " + uri + " must be scheme://host[:port][/path]");
        }
        if (scheme.equals("https") || (scheme.equals("http") && isLoopback(uri.getHost()))) {
            return uri;
        }
        throw new IllegalArgumentException("endpoint " + uri + ": only https, or http to a loopback host");
    }

    private static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (!literal.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false; // only literal addresses: a name could resolve anywhere
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        }
        catch (UnknownHostException e) {
            return false;
        }
    }
}
