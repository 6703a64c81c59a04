package io.cvimport.reopen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ReopenPropertiesTest {

    @Test
    void eachRowAdoptsItsOwnProject() {
        assertThat(new ReopenProperties(List.of(), List.of("3:p1", "5:p2")).adoptions())
                .isEqualTo(Map.of(3L, "p1", 5L, "p2"));
    }

    @Test
    void oneProjectForTwoRowsIsABadOption() {
        // Both rows would then claim the one project a single import made: refused (exit 2) before anything runs.
        assertThatThrownBy(() -> new ReopenProperties(List.of(), List.of("3:P", "5:p")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rows 3 and 5");
    }

    @Test
    void aRowTwiceOrAMalformedChoiceIsABadOption() {
        assertThatThrownBy(() -> new ReopenProperties(List.of(), List.of("3:p1", "3:p2")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("once per row");
        assertThatThrownBy(() -> new ReopenProperties(List.of(), List.of("x:p1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ROW:PROJECT_ID");
    }
}
