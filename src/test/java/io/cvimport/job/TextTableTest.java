package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** {@code --status}'s table: every value starts where its column's heading does, however long the values. */
class TextTableTest {

    @Test
    void columnsAreAsWideAsTheirWidestValueAndNotesStayOutsideThem() {
        TextTable table = new TextTable(List.of("execution", "rows now", "input"));
        table.add(List.of("1", "succeeded=1200 rejected=30 invalid=2 duplicate=7 in_doubt=1 failed=3", "/a.csv"),
                List.of("import step running for 5s"));
        table.add(List.of("12345678901", "-", "/b.csv"), List.of());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        table.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();

        assertThat(lines).hasSize(4);
        int rows = lines.get(0).indexOf("rows now");
        int input = lines.get(0).indexOf("input");
        assertThat(lines.get(1).indexOf("succeeded")).isEqualTo(rows);
        assertThat(lines.get(1).indexOf("/a.csv")).isEqualTo(input);
        assertThat(lines.get(2)).isEqualTo("    import step running for 5s");
        assertThat(lines.get(3).indexOf("-")).isEqualTo(rows);
        assertThat(lines.get(3).indexOf("/b.csv")).isEqualTo(input);
        assertThat(lines.get(3)).startsWith("12345678901  ");
    }
}
