package io.cvimport.input;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One data record of the input as read, before any judgement.
 *
 * @param number  1-based data record number (header excluded, blank lines not counted)
 * @param extras  the values of the columns beyond token, region and key, in header order
 * @param problem why the record cannot be used as it stands, if the reader saw it
 * @param offset  where the record starts in the file, in bytes, when the reader knows it
 */
public record InputRow(long number, String token, String region, String key, List<String> extras,
        @Nullable String problem, @Nullable Long offset) {

    public InputRow(long number, String token, String region, String key, List<String> extras,
            @Nullable String problem) {
        this(number, token, region, key, extras, problem, null);
    }

    @Override
    public String toString() {
        return "InputRow[" + number + "]";
    }
}
