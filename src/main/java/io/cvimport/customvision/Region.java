package io.cvimport.customvision;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The regions of the reference page, by API name ({@code westus2}) and display name
 * ({@code West US 2}). A closed list: a region is never interpolated into a host name
 * unless it is one of these.
 */
public enum Region {
    WEST_US_2("westus2", "West US 2"),
    EAST_US("eastus", "East US"),
    EAST_US_2("eastus2", "East US 2"),
    SOUTH_CENTRAL_US("southcentralus", "South Central US"),
    WEST_EUROPE("westeurope", "West Europe"),
    NORTH_EUROPE("northeurope", "North Europe"),
    SOUTHEAST_ASIA("southeastasia", "Southeast Asia"),
    AUSTRALIA_EAST("australiaeast", "Australia East"),
    CENTRAL_INDIA("centralindia", "Central India"),
    UK_SOUTH("uksouth", "UK South"),
    JAPAN_EAST("japaneast", "Japan East"),
    NORTH_CENTRAL_US("northcentralus", "North Central US"),
    CENTRAL_US_EUAP("centraluseuap", "Central US EUAP");

    private static final Map<String, Region> BY_NAME = Arrays.stream(values())
            .flatMap(r -> java.util.stream.Stream.of(Map.entry(r.apiName, r),
                    Map.entry(normalize(r.displayName), r)))
            .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a));

    private final String apiName;
    private final String displayName;

    Region(String apiName, String displayName) {
        this.apiName = apiName;
        this.displayName = displayName;
    }

    public String apiName() {
        return apiName;
    }

    public String displayName() {
        return displayName;
    }

    /** Looks a region up by either of its names, ignoring case and spacing. */
    public static Optional<Region> find(String name) {
        return Optional.ofNullable(name).map(Region::normalize).map(BY_NAME::get);
    }

    private static String normalize(String name) {
        return name.trim().replaceAll("\\s+", "").toLowerCase(Locale.ROOT);
    }
}
