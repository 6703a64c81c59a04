package io.cvimport.customvision;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RegionTest {

    @ParameterizedTest
    @CsvSource({ "westus2,WEST_US_2", "West US 2,WEST_US_2", "  west us 2 ,WEST_US_2", "WESTEUROPE,WEST_EUROPE",
            "Central US EUAP,CENTRAL_US_EUAP", "uksouth,UK_SOUTH", "Southeast Asia,SOUTHEAST_ASIA" })
    void findsRegionsByApiAndDisplayName(String name, Region expected) {
        assertThat(Region.find(name)).contains(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "westus3", "evil.example/x?", "westus2.evil.example", "west-us-2" })
    void rejectsAnythingOffTheList(String name) {
        assertThat(Region.find(name)).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void theReferencePageListsThirteenRegions() {
        assertThat(Region.values()).hasSize(13);
    }
}
