package dev.meterstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JSON items as a text table: one column per member (a nested object's members as {@code name.member}), in the
 * order the first item has them, each as wide as its widest cell; numbers right-aligned.
 */
final class Table {
    private Table() {
    }

    static String of(final JsonNode items) {
        final Set<String> columns = new LinkedHashSet<>();
        final List<Map<String, String>> rows = new ArrayList<>();
        final Set<String> numeric = new LinkedHashSet<>();
        for (final JsonNode item : items) {
            final Map<String, String> row = new java.util.LinkedHashMap<>();
            flatten("", item, row, numeric);
            columns.addAll(row.keySet());
            rows.add(row);
        }
        if (rows.isEmpty()) {
            return "(none)\n";
        }
        final List<String> names = new ArrayList<>(columns);
        final int[] widths = new int[names.size()];
        for (int i = 0; i < names.size(); i++) {
            widths[i] = names.get(i).length();
            for (final Map<String, String> row : rows) {
                widths[i] = Math.max(widths[i], row.getOrDefault(names.get(i), "").length());
            }
        }
        final StringBuilder text = new StringBuilder();
        line(text, names, widths, numeric, names);
        final List<String> rule = new ArrayList<>();
        for (final int width : widths) {
            rule.add("-".repeat(width));
        }
        line(text, rule, widths, Set.of(), names);
        for (final Map<String, String> row : rows) {
            final List<String> cells = new ArrayList<>();
            for (final String name : names) {
                cells.add(row.getOrDefault(name, ""));
            }
            line(text, cells, widths, numeric, names);
        }
        return text.toString();
    }

    private static void flatten(final String prefix, final JsonNode node, final Map<String, String> row,
                                final Set<String> numeric) {
        node.fields().forEachRemaining(member -> {
            final String name = prefix + member.getKey();
            final JsonNode value = member.getValue();
            if (value.isObject()) {
                flatten(name + ".", value, row, numeric);
            } else {
                if (value.isNumber()) {
                    numeric.add(name);
                }
                row.put(name, value.isNull() ? "" : value.isNumber() ? value.decimalValue().toPlainString()
                        : value.isValueNode() ? value.asText() : value.toString());
            }
        });
    }

    private static void line(final StringBuilder text, final List<String> cells, final int[] widths,
                             final Set<String> numeric, final List<String> names) {
        for (int i = 0; i < cells.size(); i++) {
            final String cell = cells.get(i);
            final String pad = " ".repeat(widths[i] - cell.length());
            text.append(i == 0 ? "" : "  ").append(numeric.contains(names.get(i)) ? pad + cell : cell + pad);
        }
        // No trailing blanks: an empty last cell would otherwise pad the line.
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == ' ') {
            end--;
        }
        text.setLength(end);
        text.append('\n');
    }
}
