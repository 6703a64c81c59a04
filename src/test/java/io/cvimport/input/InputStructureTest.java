package io.cvimport.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.List;
import java.util.Random;

import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class InputStructureTest {

    /** The structure after following all of {@code text}. */
    private static InputStructure follow(String text) {
        InputStructure structure = new InputStructure();
        cuts(structure, text);
        return structure;
    }

    /** Follows {@code text} to its end and returns how many records were cut at the limit. */
    private static int cuts(InputStructure structure, String text) {
        char[] chars = text.toCharArray();
        int cuts = 0;
        for (int i = 0; i < chars.length;) {
            boolean wasSkipping = structure.skipping();
            i = structure.follow(chars, i, chars.length);
            if (!wasSkipping && structure.skipping()) {
                cuts++;
            }
        }
        structure.end();
        return cuts;
    }

    private static void refused(String text, String message) {
        assertThatThrownBy(() -> follow(text)).isInstanceOf(InputStructureException.class)
                .hasMessage(message);
    }

    @Test
    void wellFormedInputsPass() {
        assertThat(follow("token,region,key\r\n\"a,\"\"b\"\"\nc\" , westus2 ,k\r\n\r\n\n  x,\"y\",z\n").records())
                .isEqualTo(3);
        assertThat(follow("h\n\"closing quote at the end\"").records()).isEqualTo(2);
        assertThat(follow("").records()).isZero();
    }

    @Test
    void anUnclosedQuoteIsNamedByTheLineItOpensOn() {
        refused("token,region,key\na,b,c\na,b,c\na,b,c\na,b,c\n\"a,b,c\na,b,c\na,b,c\n",
                "line 6: a quoted field is never closed (it runs to the end of the file)");
        refused("h\r\n\r\n\"x\"\"\r\n", "line 3: a quoted field is never closed (it runs to the end of the file)");
    }

    @Test
    void textAfterAClosingQuote() {
        refused("h\n\"a\"  ,b\n\"a\"b,c\n",
                "line 3: text after the closing quote of a quoted field (a quote inside a quoted field is written twice: \"\")");
    }

    @Test
    void aNulByte() {
        refused("h\nab\n\"c\nd\0\"\n", "line 4: a NUL byte (the file is binary, or UTF-16 rather than UTF-8)");
    }

    @Test
    void bytesThatAreNotUtf8InTheHeaderButNotInRows() {
        refused("\n\"to\nken\",re\uFFFDgion\n", "line 3: bytes that are not UTF-8 in the header (save the file as UTF-8)");
        assertThatCode(() -> follow("h\nr\uFFFDw\n")).doesNotThrowAnyException();
    }

    @Test
    void aRecordPastTheLimitIsCutAndFollowedToItsEnd() {
        String record = "a," + "x".repeat(InputStructure.MAX_RECORD) + "\n";
        InputStructure structure = new InputStructure();
        assertThat(cuts(structure, "h\n\nshort\n" + record + "next\n")).isOne();
        assertThat(structure.records()).isEqualTo(4);
        String longButUnder = "y".repeat(InputStructure.MAX_RECORD - 1) + "\n";
        structure = new InputStructure();
        assertThat(cuts(structure, "h\n" + longButUnder + longButUnder)).isZero();
        assertThat(structure.records()).isEqualTo(3);
        refused("h" + "x".repeat(InputStructure.MAX_RECORD) + "\nrow\n",
                "line 1: a header longer than 1048576 characters");
    }

    @Test
    void aLongQuotedFieldIsARecordWhereItClosesAndAnUnclosedOneIsRefused() {
        String closedLater = "h\nok\n\"" + "line\n".repeat(InputStructure.MAX_RECORD / 4) + "\"\nnext\n";
        InputStructure structure = new InputStructure();
        assertThat(cuts(structure, closedLater)).isOne();
        assertThat(structure.records()).isEqualTo(4);
        String unclosed = "h\nok\n\"" + "x".repeat(3 * InputStructure.MAX_RECORD);
        refused(unclosed, "line 3: a quoted field is never closed (it runs to the end of the file)");
        refused("h\n\"" + "x".repeat(InputStructure.MAX_RECORD) + "\"y\nnext\n",
                "line 2: text after the closing quote of a quoted field (a quote inside a quoted field is written"
                        + " twice: \"\")");
    }

    /**
     * Wherever a record is cut (in a plain or quoted field, on a quote that may close one or
     * be doubled, after a closing quote, on a line break inside quotes), Commons CSV reads the
     * text the reader hands on as it reads the whole text: the same records, those not cut
     * the same, the cut ones (and only they) ending with the mark. Random tails past the limit
     * after a field of each kind.
     */
    @Test
    void commonsCsvReadsTheCutTextAsTheWholeTextRecordForRecord() throws IOException {
        Random random = new Random(20261206);
        char[] alphabet = { 'a', ',', '"', '"', '\n', '\r', ' ' };
        // How the long record starts, and the character that brings it near the limit.
        String[][] starts = { { "", "p" }, { "\"", "q" }, { "\"b\"", " " }, { "c,", " " }, { "\"", "\n" } };
        int cutRecords = 0;
        int refusedByBoth = 0;
        for (int n = 0; cutRecords < 100; n++) {
            assertThat(n).as("texts tried for 100 cut records").isLessThan(2000);
            String[] start = starts[random.nextInt(starts.length)];
            // The limit is passed within the tail's first four characters, unless they end the record.
            StringBuilder text = new StringBuilder("h\nfirst\n").append(start[0])
                    .append(start[1].repeat(InputStructure.MAX_RECORD - start[0].length() - random.nextInt(4)));
            for (int i = 4 + random.nextInt(8); i > 0; i--) {
                text.append(alphabet[random.nextInt(alphabet.length)]);
            }
            text.append("\nlast,row\n");
            int cuts;
            try {
                cuts = cuts(new InputStructure(), text.toString());
            }
            catch (InputStructureException refused) {
                // Reading a megabyte with Commons CSV takes time: a sample of the refusals is enough.
                if (refusedByBoth++ < 10) {
                    assertThat(records(new StringReader(text.toString()))).as("text %d refused by Commons CSV too", n)
                            .isNull();
                }
                continue;
            }
            if (cuts == 0) {
                continue;
            }
            List<CSVRecord> whole = records(new StringReader(text.toString()));
            List<CSVRecord> cut = records(new CheckedReader(new StringReader(text.toString()), new InputStructure(),
                    null));
            assertThat(whole).as("text %d", n).isNotNull().hasSameSizeAs(cut);
            int marked = 0;
            for (int r = 0; r < cut.size(); r++) {
                List<String> values = cut.get(r).toList();
                if (values.get(values.size() - 1).indexOf(InputStructure.CUT) >= 0) {
                    marked++;
                }
                else {
                    assertThat(values).as("text %d record %d", n, r).isEqualTo(whole.get(r).toList())
                            .noneMatch(v -> v.indexOf(InputStructure.CUT) >= 0);
                }
            }
            assertThat(marked).as("text %d", n).isEqualTo(cuts);
            cutRecords += cuts;
        }
        assertThat(refusedByBoth).isPositive();
    }

    /** Every record Commons CSV reads from {@code text}, or null when it refuses it. */
    private static @Nullable List<CSVRecord> records(Reader text) throws IOException {
        try (CSVParser parser = CSVParser.builder().setReader(text)
                .setFormat(InputFile.FORMAT.builder().setHeader((String[]) null).setSkipHeaderRecord(false).get())
                .get()) {
            return parser.getRecords();
        }
        catch (RuntimeException refused) {
            return null;
        }
    }

    /**
     * Whatever the text, the structure refuses exactly what Commons CSV refuses and counts the
     * records it reads: random texts over the characters that make CSV's structure.
     */
    @Test
    void agreesWithCommonsCsvOnRandomTexts() throws IOException {
        Random random = new Random(20261129);
        char[] alphabet = { 'a', 'b', ',', '"', '"', '\n', '\r', ' ', '\t' };
        int refusedByBoth = 0;
        for (int n = 0; n < 20_000; n++) {
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(30); i > 0; i--) {
                text.append(alphabet[random.nextInt(alphabet.length)]);
            }
            Long commons = commonsRecords(text.toString());
            Long ours;
            try {
                ours = follow(text.toString()).records();
            }
            catch (InputStructureException refused) {
                ours = null;
            }
            assertThat(ours).as("records of %s", text.toString().replace("\r", "\\r").replace("\n", "\\n"))
                    .isEqualTo(commons);
            if (ours == null) {
                refusedByBoth++;
            }
        }
        assertThat(refusedByBoth).as("texts refused by both").isGreaterThan(1000);
    }

    private static Long commonsRecords(String text) throws IOException {
        try (CSVParser parser = CSVParser.builder().setReader(new StringReader(text))
                .setFormat(InputFile.FORMAT.builder().setHeader((String[]) null).setSkipHeaderRecord(false).get())
                .get()) {
            long records = 0;
            for (CSVRecord ignored : parser) {
                records++;
            }
            return records;
        }
        catch (RuntimeException | IOException refused) {
            return null;
        }
    }
}
