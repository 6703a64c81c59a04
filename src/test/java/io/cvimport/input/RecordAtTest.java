package io.cvimport.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every record the cursor streams has the byte offset where it starts, and reading it back
 * there gives the same row: for every kind of file the loader accepts.
 */
class RecordAtTest {

    @TempDir
    Path dir;

    private Path write(byte[] bytes) throws IOException {
        Path file = dir.resolve("in.csv");
        Files.write(file, bytes);
        return file;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
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

    /** Reads every record back at its offset, in reverse order, and returns the rows streamed. */
    private List<InputRow> everyRowReadBack(Path file) {
        List<InputRow> rows = rows(file);
        RecordAt reader = new RecordAt(InputFile.open(file));
        for (int i = rows.size() - 1; i >= 0; i--) {
            InputRow row = rows.get(i);
            assertThat(row.offset()).as("offset of row %d", row.number()).isNotNull();
            assertThat(reader.read(row.offset(), row.number())).as("row %d", row.number()).isEqualTo(row);
        }
        return rows;
    }

    @Test
    void offsetsAreExactWithBomCrlfBlankLinesAndQuotedLineBreaks() throws IOException {
        byte[] bytes = utf8("\uFEFFTenant,KEY,Region,Token\r\n"
                + "\"Contoso,\r\n Ltd\",k1, West US 2 ,\"https://a/b?x=1&y=\"\"2\"\"\"\r\n"
                + "\r\n\r\n"
                + "fabrikam,k2,eastus,t2\r\n"
                + "   \r\n"
                + "\"a\nb\",k3,eastus,\"t\r\n3\"\n\n");
        List<InputRow> rows = everyRowReadBack(write(bytes));
        assertThat(rows).hasSize(4);
        assertThat(rows.get(0).offset()).isEqualTo(3 + "Tenant,KEY,Region,Token\r\n".length());
        assertThat(rows.get(1).token()).isEqualTo("t2");
        assertThat(new String(bytes, rows.get(1).offset().intValue(), 8, StandardCharsets.UTF_8)).isEqualTo("fabrikam");
        assertThat(rows.get(2).problem()).startsWith("missing field");
        assertThat(rows.get(3).token()).isEqualTo("t\r\n3");
    }

    @Test
    void offsetsCountBytesNotCharactersWithMultiByteAndMalformedUtf8() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(utf8("token,region,key,note\n"));
        out.writeBytes(utf8("t1,eastus,k1,Zürich 😀 €\n"));
        out.writeBytes(new byte[] {'t', '2', ',', 'e', 'a', 's', 't', 'u', 's', ',', 'k', (byte) 0xFF, ',',
                (byte) 0xE2, (byte) 0x82, '\n'});
        out.writeBytes(utf8("t3,eastus,k3,\"ü\n"));
        out.writeBytes(new byte[] {(byte) 0xF0, (byte) 0x9F, '"', '\r', '\n'});
        out.writeBytes(utf8("t4,eastus,k4,last"));
        List<InputRow> rows = everyRowReadBack(write(out.toByteArray()));
        assertThat(rows).extracting(InputRow::token).containsExactly("t1", "t2", "t3", "t4");
        assertThat(rows.get(1).problem()).isEqualTo("bytes that are not UTF-8");
        assertThat(rows.get(2).problem()).isEqualTo("bytes that are not UTF-8");
        assertThat(rows.get(3).offset()).isEqualTo(out.size() - "t4,eastus,k4,last".length());
    }

    @Test
    void rowsTooLongOrWithTheWrongWidthReadBackWithTheirProblem() throws IOException {
        String longField = "x".repeat(RecordLayout.MAX_FIELD_LENGTH + 1);
        List<InputRow> rows = everyRowReadBack(write(utf8("token,region,key\n"
                + "t1,eastus,k1,surplus\n" + longField + ",eastus,k2\n" + "t3,eastus,k3\n")));
        assertThat(rows.get(0).problem()).startsWith("surplus field");
        assertThat(rows.get(1).problem()).startsWith("field too long: token");
        assertThat(rows.get(2).problem()).isNull();
    }

    @Test
    void theEndOfTheFileIsNoRecord() throws IOException {
        byte[] bytes = utf8("token,region,key\nt1,eastus,k1\n\n");
        Path file = write(bytes);
        RecordAt reader = new RecordAt(InputFile.open(file));
        assertThat(reader.read(bytes.length, 2)).isNull();
        assertThat(reader.read(bytes.length - 1, 2)).isNull();
    }

    @Test
    void randomFilesOfEveryAwkwardKindReadBackRecordByRecord() throws IOException {
        Random random = new Random(15);
        String[] pieces = {"a", "b", " ", "é", "€", "😀", ",", "\"", "\"\"", "\n", "\r\n", "\r", "x,y"};
        byte[][] bad = {{(byte) 0xFF}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xC0}, {(byte) 0xF0, (byte) 0x9F}};
        for (int file = 0; file < 300; file++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (random.nextBoolean()) {
                out.writeBytes(utf8("\uFEFF"));
            }
            String eol = random.nextBoolean() ? "\r\n" : random.nextInt(4) == 0 ? "\r" : "\n";
            out.writeBytes(utf8("token,region,key,extra" + eol));
            int records = 1 + random.nextInt(30);
            for (int r = 0; r < records; r++) {
                for (int blank = random.nextInt(5) == 0 ? 1 + random.nextInt(3) : 0; blank > 0; blank--) {
                    out.writeBytes(utf8(eol));
                }
                int fields = random.nextInt(8) == 0 ? 3 + random.nextInt(3) : 4;
                for (int f = 0; f < fields; f++) {
                    if (f > 0) {
                        out.write(',');
                    }
                    boolean quoted = random.nextInt(3) == 0;
                    if (quoted) {
                        out.writeBytes(utf8(random.nextBoolean() ? " \"" : "\""));
                    }
                    for (int n = random.nextInt(6); n > 0; n--) {
                        if (random.nextInt(10) == 0) {
                            out.writeBytes(bad[random.nextInt(bad.length)]);
                        }
                        else {
                            String piece = pieces[random.nextInt(pieces.length)];
                            boolean special = piece.contains("\"") || piece.contains(",") || piece.contains("\n")
                                    || piece.contains("\r");
                            out.writeBytes(utf8(special && !quoted ? "p" : piece.equals("\"") ? "\"\"" : piece));
                        }
                    }
                    if (quoted) {
                        out.writeBytes(utf8(random.nextBoolean() ? "\" " : "\""));
                    }
                }
                if (r < records - 1 || random.nextBoolean()) {
                    out.writeBytes(utf8(eol));
                }
            }
            Path path = write(out.toByteArray());
            assertThat(everyRowReadBack(path)).as("file %d", file).hasSize(records);
        }
    }
    /**
     * A record read at its offset is decoded a few hundred characters at a time: a record
     * longer than that, and a multi-byte character, a surrogate pair, a CRLF or a quoted line
     * break on each side of every such boundary, read back as streamed.
     */
    @Test
    void recordsLongerThanOneReadWithAwkwardCharactersAtTheBoundaryReadBack() throws IOException {
        String[] awkward = {"\u00e9", "\u20ac", "\ud83d\ude00", "\"\r\n\"", "\"\n\"", "\"\r\"", "\"\"\"\""};
        for (String eol : new String[] {"\r\n", "\n", "\r"}) {
            for (String piece : awkward) {
                StringBuilder text = new StringBuilder("token,region,key,extra" + eol);
                int records = 0;
                for (int pad = 470; pad < 560; pad++) {
                    boolean quoted = piece.startsWith("\"");
                    String inner = quoted ? piece.substring(1, piece.length() - 1) : piece;
                    String field = "y".repeat(pad) + inner + "z".repeat(pad % 7);
                    text.append("t").append(pad).append(",eastus,k,")
                            .append(quoted ? "\"" + field + "\"" : field).append(eol);
                    records++;
                    // and one whose line break itself sits around the boundary
                    text.append("u").append(pad).append(",eastus,k,").append("w".repeat(pad - 13)).append(eol);
                    records++;
                }
                List<InputRow> rows = everyRowReadBack(write(utf8(text.toString())));
                assertThat(rows).as("%s %s", eol.length(), piece).hasSize(records);
                assertThat(rows).allMatch(row -> row.problem() == null);
            }
        }
    }
}
