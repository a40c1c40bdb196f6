package io.flowraft.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain text table: a header row, then rows, columns left-aligned and separated by two spaces. The last column
 * is not padded, so no line ends in blanks. {@code null} cells print as {@value #NONE}.
 */
final class Table {

    static final String NONE = "-";

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    Table(String... headers) {
        this.headers = List.of(headers);
    }

    /** Adds a row of as many cells as there are headers. */
    Table row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("Expected " + headers.size() + " cells, but found " + cells.length);
        }
        rows.add(Arrays.stream(cells).map(Table::cell).toList());
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    void print(PrintWriter out) {
        int[] widths = new int[headers.size()];
        for (List<String> line : allLines()) {
            for (int c = 0; c < widths.length; c++) {
                widths[c] = Math.max(widths[c], line.get(c).length());
            }
        }
        for (List<String> line : allLines()) {
            StringBuilder text = new StringBuilder();
            for (int c = 0; c < widths.length; c++) {
                String cell = line.get(c);
                text.append(cell);
                if (c < widths.length - 1) {
                    text.append(" ".repeat(widths[c] - cell.length() + 2));
                }
            }
            out.println(text.toString().stripTrailing());
        }
    }

    private List<List<String>> allLines() {
        List<List<String>> lines = new ArrayList<>(rows.size() + 1);
        lines.add(headers);
        lines.addAll(rows);
        return lines;
    }

    /** One line per cell: a newline or tab in a value (an error message, say) would break the columns. */
    private static String cell(Object value) {
        if (value == null) {
            return NONE;
        }
        String text = value.toString().replaceAll("[\\r\\n\\t]+", " ");
        return text.isEmpty() ? NONE : text;
    }
}
