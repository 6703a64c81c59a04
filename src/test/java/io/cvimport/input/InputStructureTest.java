package io.cvimport.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.util.Random;

import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

class InputStructureTest {

    private static InputStructure follow(String text, boolean followRunawayQuotes) {
        InputStructure structure = new InputStructure(followRunawayQuotes);
        char[] chars = text.toCharArray();
        structure.accept(chars, 0, chars.length);
        structure.end();
        return structure;
    }

    private static void refused(String text, String message) {
        assertThatThrownBy(() -> follow(text, true)).isInstanceOf(InputStructureException.class)
                .hasMessage(message);
    }

    @Test
    void wellFormedInputsPass() {
        assertThat(follow("token,region,key\r\n\"a,\"\"b\"\"\nc\" , westus2 ,k\r\n\r\n\n  x,\"y\",z\n", true).records())
                .isEqualTo(3);
        assertThat(follow("h\n\"closing quote at the end\"", true).records()).isEqualTo(2);
        assertThat(follow("", true).records()).isZero();
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
        assertThatCode(() -> follow("h\nr\uFFFDw\n", true)).doesNotThrowAnyException();
    }

    @Test
    void aRecordPastTheLimitIsNamedByItsFirstLine() {
        String record = "a," + "x".repeat(InputStructure.MAX_RECORD) + "\n";
        refused("h\n\nshort\n" + record, "line 4: a record longer than 1048576 characters (a field holds at most 65536)");
        String longButUnder = "y".repeat(InputStructure.MAX_RECORD - 1) + "\n";
        assertThat(follow("h\n" + longButUnder + longButUnder, true).records()).isEqualTo(3);
    }

    @Test
    void aRunawayQuoteIsFollowedToItsEndWhenScanningAndCutShortWhenParsing() {
        String runaway = "h\nok\n\"" + "line\n".repeat(InputStructure.MAX_RECORD / 4) + "\"\nnext\n";
        refused(runaway, "line 3: a record longer than 1048576 characters (a field holds at most 65536)"
                + ": a quoted field runs from line 3 to line 262147 (a stray quote?)");
        assertThatThrownBy(() -> follow(runaway, false)).isInstanceOf(InputStructureException.class)
                .hasMessage("line 3: a record longer than 1048576 characters (a field holds at most 65536)");
        String unclosed = "h\nok\n\"" + "x".repeat(3 * InputStructure.MAX_RECORD);
        refused(unclosed, "line 3: a quoted field is never closed (it runs to the end of the file)");
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
                ours = follow(text.toString(), true).records();
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
