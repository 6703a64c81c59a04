package io.cvimport.job;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Columns as wide as their widest cell, two spaces apart, so that no value runs into the
 * next column whatever its length (an input's path, a run's row counts); the last column is
 * not padded.
 */
final class TextTable {

    private final List<String> headings;
    private final List<List<String>> rows = new ArrayList<>();
    /** Lines printed under a row, outside the columns (a running execution's progress). */
    private final List<List<String>> notes = new ArrayList<>();

    TextTable(List<String> headings) {
        this.headings = headings;
    }

    void add(List<String> row, List<String> notesUnder) {
        rows.add(row);
        notes.add(notesUnder);
    }

    void print(PrintStream out) {
        int[] widths = new int[headings.size()];
        for (List<String> row : withHeadings()) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        out.println(line(headings, widths));
        for (int r = 0; r < rows.size(); r++) {
            out.println(line(rows.get(r), widths));
            notes.get(r).forEach(note -> out.println("    " + note));
        }
    }

    private List<List<String>> withHeadings() {
        List<List<String>> all = new ArrayList<>(rows);
        all.add(headings);
        return all;
    }

    private static String line(List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            line.append(cell);
            if (i < cells.size() - 1) {
                line.append(" ".repeat(widths[i] - cell.length() + 2));
            }
        }
        return line.toString();
    }
}
