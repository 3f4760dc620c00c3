package tracker.locks.cli;

import java.util.List;

/** Rows of text in aligned columns, two spaces apart; the last column is not padded (no trailing spaces). */
final class TextTable {

    private TextTable() {
    }

    /** @param rows the header first; every row as many cells as the header */
    static String of(List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder table = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                table.append(i == row.length - 1 ? row[i] : String.format("%-" + (widths[i] + 2) + "s", row[i]));
            }
            table.append('\n');
        }
        return table.toString();
    }
}
