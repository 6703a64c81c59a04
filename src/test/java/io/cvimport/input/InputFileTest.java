package io.cvimport.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputFileTest {

    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        Path file = dir.resolve("in.csv");
        Files.write(file, text.getBytes(StandardCharsets.UTF_8));
        return file;
    }

    private static List<InputRow> rows(Path file) {
        List<InputRow> rows = new ArrayList<>();
        try (RowCursor cursor = InputFile.open(file).rows()) {
            InputRow row;
            while ((row = cursor.next()) != null) {
                rows.add(row);
            }
        }
        return rows;
    }

    @Test
    void headerInAnyCaseAndOrderWithBomCrlfQuotesAndExtras() throws IOException {
        Path file = write("\uFEFFTenant,KEY,Region,Token\r\n"
                + "\"Contoso, Ltd\",k1, West US 2 ,\"https://a/b?x=1&y=\"\"2\"\"\"\r\n"
                + "\r\n"
                + "fabrikam,k2,eastus,t2\n");
        InputFile input = InputFile.open(file);
        assertThat(input.extraColumns()).containsExactly("Tenant");
        List<InputRow> rows = rows(file);
        assertThat(rows).hasSize(2);
        InputRow first = rows.get(0);
        assertThat(first.number()).isEqualTo(1);
        assertThat(first.token()).isEqualTo("https://a/b?x=1&y=\"2\"");
        assertThat(first.region()).isEqualTo("West US 2");
        assertThat(first.key()).isEqualTo("k1");
        assertThat(first.extras()).containsExactly("Contoso, Ltd");
        assertThat(first.problem()).isNull();
        // The blank line is not counted.
        assertThat(rows.get(1).number()).isEqualTo(2);
        assertThat(rows.get(1).token()).isEqualTo("t2");
    }

    @Test
    void missingColumnIsNamed() throws IOException {
        Path file = write("token,key\nt,k\n");
        assertThatThrownBy(() -> InputFile.open(file)).isInstanceOf(InputFormatException.class)
                .hasMessageContaining("no column region");
    }

    @Test
    void missingFileIsOneLine() {
        assertThatThrownBy(() -> InputFile.open(dir.resolve("nope.csv"))).isInstanceOf(InputFormatException.class)
                .hasMessageContaining("missing or unreadable");
    }

    @Test
    void structuralProblemsArePerRow() throws IOException {
        Path file = dir.resolve("bad.csv");
        byte[] latin1 = "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1);
        try (var out = Files.newOutputStream(file)) {
            out.write("token,region,key\nt1,westus2\nt2,westus2,k,surplus\n".getBytes(StandardCharsets.UTF_8));
            out.write(latin1);
            out.write(",westus2,k\n".getBytes(StandardCharsets.UTF_8));
            out.write(("x".repeat(70_000) + ",westus2,k\nt5,westus2,k\n").getBytes(StandardCharsets.UTF_8));
        }
        List<InputRow> rows = rows(file);
        assertThat(rows).extracting(InputRow::number).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(rows.get(0).problem()).startsWith("missing field");
        assertThat(rows.get(1).problem()).startsWith("surplus field");
        assertThat(rows.get(2).problem()).isEqualTo("bytes that are not UTF-8");
        assertThat(rows.get(3).problem()).isEqualTo("field too long: token has 70000 characters (at most 65536)");
        assertThat(rows.get(3).token()).as("not kept").isEmpty();
        assertThat(rows.get(4).problem()).isNull();
    }

    @Test
    void checkNamesTheLineOfEachBrokenShape() throws IOException {
        assertThat(InputFile.check(write("\uFEFFtoken,region,key\r\n\"a\"\"b\",westus2,k\r\n")).extraColumns()).isEmpty();
        assertThatThrownBy(() -> InputFile.check(write("\uFEFFtoken,region,key\r\na,westus2,k\r\n\"b,westus2,k\r\n")))
                .isInstanceOf(InputStructureException.class)
                .hasMessage("line 3: a quoted field is never closed (it runs to the end of the file)");
        assertThatThrownBy(() -> InputFile.check(write("token,region,key\n\na\0,westus2,k\n")))
                .hasMessageStartingWith("line 3: a NUL byte");
        Path latin1Header = dir.resolve("latin1.csv");
        Files.write(latin1Header, "token,region,key,soci\u00e9t\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> InputFile.check(latin1Header))
                .hasMessageStartingWith("line 1: bytes that are not UTF-8 in the header");
        assertThatThrownBy(() -> InputFile.check(write("token,region,key," + "h".repeat(1_100_000) + "\nt,westus2,k\n")))
                .hasMessage("line 1: a header longer than 1048576 characters");
        // A data record that long, its end clear, is its row's problem (LongRecordTest), not the file's.
        assertThat(InputFile.check(write("token,region,key\n" + "t".repeat(1_100_000) + ",westus2,k\n"))).isNotNull();
        assertThatThrownBy(() -> InputFile.check(dir.resolve("nope.csv"))).isNotInstanceOf(InputStructureException.class)
                .hasMessageContaining("missing or unreadable");
    }

    @Test
    void theRowsOfAFileThatBrokeAfterItsCheckStopAtTheQuoteNeverClosedNamingTheLine() throws IOException {
        Path file = write("token,region,key\na,westus2,k\n\"b,westus2,k\n" + "c,westus2,k\n".repeat(100_000));
        try (RowCursor cursor = InputFile.open(file).rows()) {
            assertThat(cursor.next().token()).isEqualTo("a");
            assertThatThrownBy(cursor::next).isInstanceOf(InputStructureException.class)
                    .hasMessage("line 3: a quoted field is never closed (it runs to the end of the file)");
        }
        Path unclosedHeader = write("\"token,region,key\na,westus2,k\n");
        assertThatThrownBy(() -> InputFile.open(unclosedHeader)).isInstanceOf(InputStructureException.class)
                .hasMessage("line 1: a quoted field is never closed (it runs to the end of the file)");
    }

    @Test
    void skipResumesAtTheSameRowNumber() throws IOException {
        Path file = write("token,region,key\na,westus2,k\n\nb,westus2,k\nc,westus2,k\n");
        try (RowCursor cursor = InputFile.open(file).rows()) {
            cursor.skip(2);
            InputRow third = cursor.next();
            assertThat(third.number()).isEqualTo(3);
            assertThat(third.token()).isEqualTo("c");
        }
    }

    @Test
    void contentHashFollowsTheBytes() throws IOException {
        Path file = write("token,region,key\na,westus2,k\n");
        String before = InputFile.open(file).contentHash();
        Files.writeString(file, "token,region,key\nb,westus2,k\n");
        assertThat(InputFile.open(file).contentHash()).hasSize(64).isNotEqualTo(before);
    }
}
