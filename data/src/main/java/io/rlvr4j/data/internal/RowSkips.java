package io.rlvr4j.data.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Rows of a file left out for want of a usable answer or tests, counted by reason with the first row of each. */
public final class RowSkips {

    private final String file;
    private final Map<String, int[]> byReason = new LinkedHashMap<>(); // reason -> {count, first row}

    public RowSkips(String file) {
        this.file = file;
    }

    public void add(long row, String reason) {
        byReason.computeIfAbsent(reason, r -> new int[] {0, (int) row})[0]++;
    }

    public int count() {
        return byReason.values().stream().mapToInt(c -> c[0]).sum();
    }

    /** {@return e.g. "12 rows skipped: 10 no answer (first: row 3), 2 no tests (first: row 7)"} */
    public String summary() {
        List<String> parts = new ArrayList<>();
        byReason.forEach((reason, c) -> parts.add(c[0] + " " + reason + " (first: row " + c[1] + ")"));
        return count() + (count() == 1 ? " row" : " rows") + " skipped: " + String.join(", ", parts);
    }

    /** {@return one note for the file, or none when nothing was skipped} */
    public List<String> notes() {
        return count() == 0 ? List.of() : List.of(file + ": " + summary() + "; they are not trained or evaluated on");
    }
}
