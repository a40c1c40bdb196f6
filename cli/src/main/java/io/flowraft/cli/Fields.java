package io.flowraft.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A block of {@code Label:  value} lines with the values aligned, for one object (a workflow, the cluster). */
final class Fields {

    private final List<String[]> lines = new ArrayList<>();

    Fields add(String label, Object value) {
        lines.add(new String[] {label + ":", value == null ? Table.NONE : value.toString()});
        return this;
    }

    void print(PrintWriter out) {
        int width = lines.stream().mapToInt(line -> line[0].length()).max().orElse(0);
        for (String[] line : lines) {
            out.println(line[0] + " ".repeat(width - line[0].length() + 2) + line[1]);
        }
    }
}
