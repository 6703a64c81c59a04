package io.cvimport.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A property, checked on seeded random inputs: whatever a CSV writer writes (quotes,
 * commas, CR and LF inside fields, non-ASCII), the reader reads back, with row numbers and
 * extra columns. A failing seed reproduces exactly.
 */
class InputRowPropertiesTest {

    private static final String ALPHABET = "abcXYZ019 ,\"\r\n\t;:/?&%=+-_.é€ü漢";

    record Row(String token, String region, String key, String tenant) {
    }

    @TempDir
    Path dir;

    static java.util.stream.LongStream seeds() {
        return java.util.stream.LongStream.range(0, 300).map(i -> 0x5eed0000L + i);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void writtenRowsReadBack(long seed) throws IOException {
        Random random = new Random(seed);
        List<Row> rows = new ArrayList<>();
        for (int i = 1 + random.nextInt(20); i > 0; i--) {
            rows.add(new Row(field(random), field(random), field(random), field(random)));
        }
        StringWriter text = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(text, CSVFormat.RFC4180)) {
            printer.printRecord("Tenant", "TOKEN", "key", "Region");
            for (Row row : rows) {
                printer.printRecord(row.tenant(), row.token(), row.key(), row.region());
            }
        }
        Path file = dir.resolve("property-" + seed + ".csv");
        Files.writeString(file, (random.nextBoolean() ? "\uFEFF" : "") + text, StandardCharsets.UTF_8);

        List<InputRow> read = new ArrayList<>();
        try (RowCursor cursor = InputFile.open(file).rows()) {
            InputRow row;
            while ((row = cursor.next()) != null) {
                read.add(row);
            }
        }
        assertThat(read).as("seed %d", seed).hasSameSizeAs(rows);
        for (int i = 0; i < rows.size(); i++) {
            InputRow got = read.get(i);
            Row expected = rows.get(i);
            assertThat(got.number()).isEqualTo(i + 1);
            assertThat(List.of(got.token(), got.region(), got.key())).as("seed %d row %d", seed, i + 1)
                    .containsExactly(expected.token(), expected.region(), expected.key());
            assertThat(got.extras()).containsExactly(expected.tenant());
            assertThat(got.problem()).isNull();
        }
    }

    /** A non-empty field without surrounding white space, which the reader trims on purpose. */
    private static String field(Random random) {
        StringBuilder field = new StringBuilder();
        int length = 1 + random.nextInt(random.nextInt(10) == 0 ? 1500 : 40);
        for (int i = 0; i < length; i++) {
            field.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        String value = field.toString().strip();
        return value.isEmpty() ? "x" : value;
    }
}
