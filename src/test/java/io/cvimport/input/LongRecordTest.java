package io.cvimport.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.infrastructure.item.ExecutionContext;

import io.cvimport.ledger.LoadedRows;

/**
 * A record longer than {@link InputStructure#MAX_RECORD} whose end can be found (a line
 * break outside quotes) is its row's problem: the row is INVALID "field too long", the rows
 * after it are read, numbered and found again at their offsets as if it were short. Only a
 * quote that never closes costs the whole file.
 */
class LongRecordTest {

    private static final int ROWS = 30;
    private static final int LONG_ROW = 18;

    @TempDir
    Path dir;

    private static String row(int i) {
        return "t" + i + ",westus2,k" + i;
    }

    /** Rows 1 to 30, row 18's token replaced by {@code longRow}; lines end with {@code eol}. */
    private Path file(String longRow, String eol) throws IOException {
        Path file = dir.resolve("in.csv");
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(("token,region,key" + eol).getBytes(StandardCharsets.UTF_8));
            for (int i = 1; i <= ROWS; i++) {
                out.write(((i == LONG_ROW ? longRow : row(i)) + eol).getBytes(StandardCharsets.UTF_8));
            }
        }
        return file;
    }

    /** Streams every row, checks each reads back the same at its offset, and returns them. */
    private static List<InputRow> rowsReadBack(Path file) {
        InputFile.check(file);
        List<InputRow> rows = new ArrayList<>();
        try (RowCursor cursor = InputFile.open(file).rows()) {
            InputRow row;
            while ((row = cursor.next()) != null) {
                rows.add(row);
            }
        }
        RecordAt reader = new RecordAt(InputFile.open(file));
        for (int i = rows.size() - 1; i >= 0; i--) {
            InputRow row = rows.get(i);
            assertThat(reader.read(row.offset(), row.number())).as("row %d read at its offset", row.number())
                    .isEqualTo(row);
        }
        return rows;
    }

    /** Every row but the long one is itself, at its own number; the long one says why, without its text. */
    private static void onlyTheLongRowIsInvalid(List<InputRow> rows, String problem) {
        onlyTheLongRowIsInvalid(rows, problem, "");
    }

    /** The same, the long row's token (a short field before the cut) being {@code token}. */
    private static void onlyTheLongRowIsInvalid(List<InputRow> rows, String problem, String token) {
        assertThat(rows).extracting(InputRow::number).containsExactlyElementsOf(
                LongStream.rangeClosed(1, ROWS).boxed().toList());
        for (InputRow row : rows) {
            if (row.number() == LONG_ROW) {
                assertThat(row.problem()).isEqualTo(problem);
                assertThat(row.token()).as("no long text kept").isEqualTo(token);
                assertThat(row.extras()).isEmpty();
            }
            else {
                assertThat(row.problem()).as("row %d", row.number()).isNull();
                assertThat(row.token()).isEqualTo("t" + row.number());
                assertThat(row.key()).isEqualTo("k" + row.number());
            }
        }
    }

    @Test
    void aMegabyteUnquotedFieldOnRow18CostsOnlyRow18() throws IOException {
        String longRow = "x".repeat(1 << 20) + ",westus2,k18";
        for (String eol : List.of("\n", "\r\n", "\r")) {
            onlyTheLongRowIsInvalid(rowsReadBack(file(longRow, eol)),
                    "field too long: token has at least 1048576 characters (at most 65536)");
        }
    }

    @Test
    void aLongQuotedFieldWithLineBreaksClosedLaterCostsOnlyItsRow() throws IOException {
        String longRow = "\"" + "line\n".repeat(InputStructure.MAX_RECORD / 4) + "\"\"end\",westus2,k18";
        // The opening quote counts in the record's length, not in the field's.
        onlyTheLongRowIsInvalid(rowsReadBack(file(longRow, "\n")),
                "field too long: token has at least 1048575 characters (at most 65536)");
    }

    /** Cut on a line break inside quotes: that line break, dropped, starts no row either. */
    @Test
    void aQuotedFieldOfLineBreaksCutOnOneOfThemCostsOnlyItsRow() throws IOException {
        String longRow = "\"" + "\r\n".repeat(InputStructure.MAX_RECORD / 2 + 10) + "\",westus2,k18";
        for (String eol : List.of("\n", "\r\n")) {
            onlyTheLongRowIsInvalid(rowsReadBack(file(longRow, eol)),
                    "field too long: token has at least 1048575 characters (at most 65536)");
        }
    }

    @Test
    void aRecordOfManyFieldsEachShortEnoughIsStillTooLong() throws IOException {
        String field = "y".repeat(60_000);
        String longRow = "t18,westus2,k18" + (",\"" + field + "\" ").repeat(20);
        onlyTheLongRowIsInvalid(rowsReadBack(file(longRow, "\n")),
                "field too long: the record has more than 1048576 characters (a field holds at most 65536)", "t18");
    }

    @Test
    void aLongLastRecordWithoutALineBreakEndsWithTheFile() throws IOException {
        Path file = dir.resolve("last.csv");
        Files.writeString(file, "token,region,key\nt1,westus2,k1\n" + "z".repeat(3 << 20));
        List<InputRow> rows = rowsReadBack(file);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(1).problem()).startsWith("field too long: token has at least");
    }

    @Test
    void aQuoteThatNeverClosesStillCostsTheWholeFile() throws IOException {
        Path file = file("\"" + "x".repeat(1 << 20) + ",westus2,k18", "\n");
        assertThatThrownBy(() -> InputFile.check(file)).isInstanceOf(InputStructureException.class)
                .hasMessage("line 19: a quoted field is never closed (it runs to the end of the file)");
        try (RowCursor cursor = InputFile.open(file).rows()) {
            assertThatThrownBy(() -> cursor.nextBatch(100)).isInstanceOf(InputStructureException.class)
                    .hasMessage("line 19: a quoted field is never closed (it runs to the end of the file)");
        }
    }

    @Test
    void aHeaderPastTheLimitCostsTheWholeFile() throws IOException {
        Path file = dir.resolve("header.csv");
        Files.writeString(file, "token,region,key," + "h".repeat(InputStructure.MAX_RECORD) + "\nt1,westus2,k1\n");
        assertThatThrownBy(() -> InputFile.check(file)).isInstanceOf(InputStructureException.class)
                .hasMessage("line 1: a header longer than 1048576 characters");
    }

    /**
     * The load step resumed from the ledger, rows 1 to 17 held, or 1 to 18, or with gaps below
     * its last row: it reads on from the right row, each held row left out, the long one too.
     */
    @Test
    void theLoadResumesAfterTheLongRowWithItsRowNumbers() throws IOException {
        Path file = file("x".repeat(2 << 20) + ",westus2,k18", "\n");
        assertThat(loadedAfter(file, LongStream.rangeClosed(1, 17))).containsExactlyElementsOf(
                LongStream.rangeClosed(18, ROWS).boxed().toList());
        assertThat(loadedAfter(file, LongStream.rangeClosed(1, 18))).containsExactlyElementsOf(
                LongStream.rangeClosed(19, ROWS).boxed().toList());
        assertThat(loadedAfter(file, LongStream.of(1, 2, 19, 20))).containsExactlyElementsOf(
                LongStream.concat(LongStream.rangeClosed(3, 18), LongStream.rangeClosed(21, ROWS)).boxed().toList());
    }

    /** The rows the load step's reader hands when the ledger holds {@code held}, each checked against its number. */
    private static List<Long> loadedAfter(Path file, LongStream held) {
        Set<Long> rows = held.boxed().collect(Collectors.toSet());
        InputRowReader reader = new InputRowReader(file, new LoadedRows() {
            @Override
            public long last() {
                return rows.stream().mapToLong(Long::longValue).max().orElse(0);
            }

            @Override
            public long count() {
                return rows.size();
            }

            @Override
            public Set<Long> between(long from, long to) {
                return rows.stream().filter(n -> n >= from && n <= to).collect(Collectors.toSet());
            }
        });
        List<Long> read = new ArrayList<>();
        reader.open(new ExecutionContext());
        try {
            InputRow row;
            while ((row = reader.read()) != null) {
                assertThat(row.token()).isEqualTo(row.number() == LONG_ROW ? "" : "t" + row.number());
                read.add(row.number());
            }
        }
        finally {
            reader.close();
        }
        return read;
    }

    @Test
    void resumingSkipsTheLongRowAndCountsIt() throws IOException {
        Path file = file("x".repeat(2 << 20) + ",westus2,k18", "\n");
        try (RowCursor cursor = InputFile.open(file).rows()) {
            cursor.skip(LONG_ROW);
            InputRow next = cursor.next();
            assertThat(next.number()).isEqualTo(LONG_ROW + 1);
            assertThat(next.token()).isEqualTo("t" + (LONG_ROW + 1));
        }
    }
}
