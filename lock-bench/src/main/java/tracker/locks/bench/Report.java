package tracker.locks.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.HdrHistogram.Histogram;
import tracker.locks.bench.BenchOptions.Scenario;

/** The tables: fixed-width text for the terminal, or Markdown for docs/benchmarks.md. */
final class Report {

    static final String LATENCY_NOTE = "Latencies are service times of closed-loop clients (each waits for its"
            + " answer before sending the next): no coordinated-omission correction, as there is no intended send"
            + " schedule; a slow-down shows in the throughput.";

    private Report() {
    }

    /** One table: the measurements of one database and scenario, rows in the order given. */
    static String table(String database, Scenario scenario, List<Measurement> rows, boolean markdown) {
        List<String> header = new ArrayList<>();
        List<List<String>> cells = new ArrayList<>();
        boolean uncontended = scenario == Scenario.UNCONTENDED;
        boolean withEtcd = uncontended && rows.stream().anyMatch(Measurement::isEtcd);
        if (uncontended) {
            header.addAll(List.of("transport", "clients", "cycles/s", "vs limit"));
            if (withEtcd) {
                header.add("vs etcd");
            }
            header.addAll(List.of("acq p50", "acq p99", "acq p99.9",
                    "cyc p50", "cyc p99", "errors", "cpu srv", "cpu gen", "cpu all"));
        } else {
            header.addAll(List.of("transport", "clients", "acq/s", "conflicts/s", "vs limit", "att p50", "att p99",
                    "att p99.9", "errors", "cpu srv", "cpu gen", "cpu all"));
        }
        for (Measurement row : rows) {
            Optional<Measurement> limit = rows.stream()
                    .filter(other -> other.isLimit() && other.clients() == row.clients())
                    .findFirst();
            String ratio = limit.map(l -> ratio(row.cyclesPerSecond(), l.cyclesPerSecond())).orElse("-");
            long operations = uncontended ? row.cycles() : row.attempts();
            Measurement.CpuUsage cpu = row.cpu();
            List<String> line = new ArrayList<>();
            line.add(row.transport());
            line.add(Integer.toString(row.clients()));
            line.add(rate(row.cyclesPerSecond()));
            if (!uncontended) {
                line.add(rate(row.conflictsPerSecond()));
            }
            line.add(ratio);
            if (withEtcd) {
                line.add(rows.stream().filter(other -> other.isEtcd() && other.clients() == row.clients())
                        .findFirst().map(etcd -> ratio(row.cyclesPerSecond(), etcd.cyclesPerSecond())).orElse("-"));
            }
            line.add(millis(row.acquire(), 50));
            line.add(millis(row.acquire(), 99));
            line.add(millis(row.acquire(), 99.9));
            if (uncontended) {
                line.add(millis(row.cycle(), 50));
                line.add(millis(row.cycle(), 99));
            }
            line.add(Long.toString(row.errors()));
            line.add(row.isLimit() ? "-" : perOperation(cpu.serverMicros(), operations));
            line.add(perOperation(cpu.benchMicros(), operations));
            line.add(perOperation(cpu.machineMicros(), operations));
            cells.add(line);
        }
        String title = database + " / " + BenchOptions.lower(scenario) + (uncontended
                ? " (cycle = acquire + release of the client's own key)"
                : " (all clients on one key; acq = successful acquisition, released at once; att = attempt)");
        StringBuilder out = new StringBuilder();
        if (markdown) {
            out.append("#### ").append(title).append("\n\n");
            out.append(markdownTable(header, cells));
        } else {
            out.append("== ").append(title).append(" ==\n");
            out.append(textTable(header, cells));
        }
        for (Measurement row : rows) {
            if (row.errors() > 0) {
                out.append(markdown ? "\n" : "").append("  ").append(row.transport()).append(" at ")
                        .append(row.clients()).append(" clients: ").append(row.errors())
                        .append(" unexpected errors; the first:\n");
                row.firstErrors().forEach(error -> out.append("    ").append(error).append('\n'));
            }
        }
        return out.toString();
    }

    /**
     * The cold starts of one database: each row a fresh server measured from the moment it answered its health
     * check, beside the warm server's row with the same transport and client count from the same run.
     */
    static String coldTable(String database, Duration window, List<ColdStart> starts, List<Measurement> warm,
                            boolean markdown) {
        List<String> header = List.of("transport", "clients", "ready after s", "cycles/s", "warm cycles/s",
                "cold / warm", "acq p50", "acq p99", "errors", "cpu srv", "cpu all");
        List<List<String>> cells = new ArrayList<>();
        for (ColdStart start : starts) {
            Measurement row = start.measured();
            Optional<Measurement> same = warm.stream()
                    .filter(w -> w.transport().equals(row.transport()) && w.clients() == row.clients())
                    .findFirst();
            cells.add(List.of(row.transport(), Integer.toString(row.clients()),
                    String.format(Locale.ROOT, "%.1f", start.ready().toMillis() / 1000.0),
                    rate(row.cyclesPerSecond()),
                    same.map(w -> rate(w.cyclesPerSecond())).orElse("-"),
                    same.map(w -> ratio(row.cyclesPerSecond(), w.cyclesPerSecond())).orElse("-"),
                    millis(row.acquire(), 50), millis(row.acquire(), 99), Long.toString(row.errors()),
                    perOperation(row.cpu().serverMicros(), row.cycles()),
                    perOperation(row.cpu().machineMicros(), row.cycles())));
        }
        String title = database + " / cold: the first " + BenchOptions.format(window) + " of a fresh server"
                + " (uncontended; ready after = from the process's start to its first healthy answer)";
        StringBuilder out = new StringBuilder();
        if (markdown) {
            out.append("#### ").append(title).append("\n\n").append(markdownTable(header, cells));
        } else {
            out.append("== ").append(title).append(" ==\n").append(textTable(header, cells));
        }
        for (ColdStart start : starts) {
            Measurement row = start.measured();
            if (row.errors() > 0) {
                out.append("  cold ").append(row.transport()).append(" at ").append(row.clients())
                        .append(" clients: ").append(row.errors()).append(" unexpected errors; the first:\n");
                row.firstErrors().forEach(error -> out.append("    ").append(error).append('\n'));
            }
        }
        return out.toString();
    }

    /** One cold start: how long the fresh server took to answer its health check, and what it then did. */
    record ColdStart(Duration ready, Measurement measured) {
    }

    /** Says what the columns mean, printed once above the tables. */
    static String legend() {
        return """
                Columns: cycles/s, acq/s, conflicts/s = completed per second of the measured window; vs limit = \
                cycles/s (contended: acq/s) as a percentage of the store-limit row with the same clients;
                vs etcd = cycles/s as a percentage of the etcd row with the same clients (etcd: cpu srv = the \
                etcd process);
                acq/att = acquire call, cyc = acquire + release, pNN in ms; errors = anything but success or the \
                expected conflict (warm-up included);
                cpu srv/gen/all = processor microseconds per cycle (contended: per attempt) of the server process, of this \
                benchmark process (load generator; for store-limit on H2 also the database), and of the whole \
                machine (all - srv - gen = the database server and anything else running).
                """;
    }

    static String millis(Histogram histogram, double percentile) {
        if (histogram.getTotalCount() == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2f", histogram.getValueAtPercentile(percentile) / 1000.0);
    }

    /** {@code value} as a whole percentage of {@code limit}, or "-" when there is no limit to compare with. */
    static String ratio(double value, double limit) {
        if (limit <= 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.0f%%", 100.0 * value / limit);
    }

    static String rate(double perSecond) {
        return String.format(Locale.ROOT, perSecond >= 100 ? "%.0f" : "%.1f", perSecond);
    }

    static String perOperation(long micros, long operations) {
        if (micros < 0 || operations <= 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.0f", (double) micros / operations);
    }

    static String textTable(List<String> header, List<List<String>> rows) {
        int[] widths = new int[header.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = header.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        appendText(out, header, widths);
        for (List<String> row : rows) {
            appendText(out, row, widths);
        }
        return out.toString();
    }

    private static void appendText(StringBuilder out, List<String> cells, int[] widths) {
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            String pad = " ".repeat(widths[i] - cell.length());
            if (i == 0) {
                out.append(cell).append(pad);
            } else {
                out.append("  ").append(pad).append(cell);
            }
        }
        out.append('\n');
    }

    static String markdownTable(List<String> header, List<List<String>> rows) {
        StringBuilder out = new StringBuilder();
        out.append("| ").append(String.join(" | ", header)).append(" |\n|");
        for (int i = 0; i < header.size(); i++) {
            out.append(i == 0 ? "---|" : "---:|");
        }
        out.append('\n');
        for (List<String> row : rows) {
            out.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        return out.toString();
    }
}
