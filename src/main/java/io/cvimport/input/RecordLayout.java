package io.cvimport.input;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.commons.csv.CSVRecord;
import org.jspecify.annotations.Nullable;

/**
 * Where token (or the source columns), region, key and the extra columns are in a record of the input, by its
 * header, and what is structurally wrong with a record: one rule for the rows streamed
 * from the start and the rows read at their offset.
 */
final class RecordLayout {

    /**
     * Real export tokens are well under 4 KB; a longer field is no token, region or key. Its
     * row is refused, and its text is not kept.
     */
    static final int MAX_FIELD_LENGTH = 1 << 16;

    private final int tokenIndex;
    private final int regionIndex;
    private final int keyIndex;
    /** Source columns (sourceRegion, sourceKey, projectId); -1 for one the header lacks, as token may be. */
    private final int[] sourceIndexes = new int[InputFile.SOURCE.size()];
    private final int width;
    private final List<String> names;
    private final List<Integer> extraIndexes = new ArrayList<>();

    RecordLayout(List<String> names, Map<String, Integer> index) {
        this.names = List.copyOf(names);
        this.width = names.size();
        this.tokenIndex = optionalIndexOf(index, "token");
        this.regionIndex = indexOf(index, "region");
        this.keyIndex = indexOf(index, "key");
        for (int i = 0; i < sourceIndexes.length; i++) {
            sourceIndexes[i] = optionalIndexOf(index, InputFile.SOURCE.get(i));
        }
        if (tokenIndex < 0 && sourceIndexes[0] < 0) {
            throw new InputFormatException("no column token in the header");
        }
        for (int i = 0; i < width; i++) {
            String name = names.get(i).trim().toLowerCase(Locale.ROOT);
            if (!InputFile.REQUIRED.contains(name) && !InputFile.SOURCE.contains(name)) {
                extraIndexes.add(i);
            }
        }
    }

    private static int indexOf(Map<String, Integer> index, String column) {
        int found = optionalIndexOf(index, column);
        if (found < 0) {
            throw new InputFormatException("no column " + column + " in the header");
        }
        return found;
    }

    private static int optionalIndexOf(Map<String, Integer> index, String column) {
        return index.entrySet().stream()
                .filter(e -> e.getKey().trim().toLowerCase(Locale.ROOT).equals(column))
                .mapToInt(Map.Entry::getValue)
                .findFirst()
                .orElse(-1);
    }

    InputRow row(CSVRecord record, long number, @Nullable Long offset) {
        List<String> extras = new ArrayList<>(extraIndexes.size());
        for (int i : extraIndexes) {
            extras.add(field(record, i));
        }
        SourceColumns source = new SourceColumns(field(record, sourceIndexes[0]), field(record, sourceIndexes[1]),
                field(record, sourceIndexes[2]));
        return new InputRow(number, field(record, tokenIndex), field(record, regionIndex), field(record, keyIndex),
                extras, problemOf(record), offset, source);
    }

    private @Nullable String problemOf(CSVRecord record) {
        if (cut(record)) {
            // Its width and text are what was left before the cut: only its length is known.
            return tooLong(record);
        }
        if (record.size() < width) {
            return "missing field: " + record.size() + " fields where the header has " + width;
        }
        if (record.size() > width) {
            return "surplus field: " + record.size() + " fields where the header has " + width;
        }
        for (int i = 0; i < record.size(); i++) {
            String value = record.get(i);
            if (value.indexOf('\uFFFD') >= 0) {
                return "bytes that are not UTF-8";
            }
            if (value.length() > MAX_FIELD_LENGTH) {
                return "field too long: " + names.get(i).trim() + " has "
                        + value.length() + " characters (at most " + MAX_FIELD_LENGTH + ")";
            }
        }
        return null;
    }

    /** Whether the reader cut the record at the limit: it ends with the mark it put there. */
    private static boolean cut(CSVRecord record) {
        return record.size() > 0 && record.get(record.size() - 1).indexOf(InputStructure.CUT) >= 0;
    }

    /**
     * Why a record cut at the limit is refused: its first field past the field limit (the
     * one cut has at least what was read of it), else the record's length. Never its text.
     */
    private String tooLong(CSVRecord record) {
        for (int i = 0; i < record.size(); i++) {
            String value = record.get(i);
            boolean cutHere = value.indexOf(InputStructure.CUT) >= 0;
            int length = value.length() - (cutHere ? 1 : 0);
            if (length > MAX_FIELD_LENGTH) {
                return "field too long: " + (i < width ? names.get(i).trim() : "field " + (i + 1)) + " has "
                        + (cutHere ? "at least " : "") + length + " characters (at most " + MAX_FIELD_LENGTH + ")";
            }
        }
        return "field too long: the record has more than " + InputStructure.MAX_RECORD
                + " characters (a field holds at most " + MAX_FIELD_LENGTH + ")";
    }

    /**
     * A value, or nothing for one too long to keep (rows wait in batches of a thousand), one
     * cut short, or a column the header lacks.
     */
    private static String field(CSVRecord record, int index) {
        String value = index >= 0 && index < record.size() ? record.get(index) : "";
        return value.length() > MAX_FIELD_LENGTH || value.indexOf(InputStructure.CUT) >= 0 ? "" : value;
    }
}
