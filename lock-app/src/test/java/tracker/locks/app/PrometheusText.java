package tracker.locks.app;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text format (0.0.4), as a scraper would reject it: every line a comment, a
 * HELP/TYPE line or a well-formed sample; every sample of a family whose TYPE came first; no series twice; label
 * values escaped; each histogram's buckets cumulative, ending at +Inf with its count. Throws naming the line.
 */
final class PrometheusText {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)( -?\\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped", "info");

    /** Every series, e.g. {@code tracker_lock_acquisitions_total{outcome="acquired",transport="rest"}}, and value. */
    private final Map<String, Double> samples = new LinkedHashMap<>();

    private PrometheusText() {
    }

    static PrometheusText parse(String text) {
        PrometheusText parsed = new PrometheusText();
        Map<String, String> types = new HashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String where = "line " + (i + 1) + ": " + line;
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ", 4);
                require(parts.length == 4 && NAME.matcher(parts[2]).matches() && TYPES.contains(parts[3]), where);
                require(types.put(parts[2], parts[3]) == null, "TYPE twice, " + where);
                continue;
            }
            if (line.startsWith("#")) {
                require(!line.startsWith("# HELP ") || NAME.matcher(line.split(" ", 4)[2]).matches(), where);
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            require(sample.matches(), "not a sample, " + where);
            String name = sample.group(1);
            require(familyOf(name, types) != null, "no TYPE before the sample, " + where);
            Map<String, String> labels = new TreeMap<>();
            if (sample.group(3) != null && !sample.group(3).isEmpty()) {
                Matcher label = LABEL.matcher(sample.group(3));
                int end = 0;
                while (label.find() && label.start() == end) {
                    require(labels.put(label.group(1), label.group(2)) == null, "label twice, " + where);
                    end = label.end();
                    if (end < sample.group(3).length()) {
                        require(sample.group(3).charAt(end) == ',', "labels not comma-separated, " + where);
                        end++;
                    }
                }
                require(end == sample.group(3).length(), "malformed labels, " + where);
            }
            double value = value(sample.group(4), where);
            String series = series(name, labels);
            require(parsed.samples.put(series, value) == null, "series twice, " + where);
        }
        parsed.checkHistograms(types);
        return parsed;
    }

    /** The value of one series; absent series are 0, as a counter not yet incremented. */
    double value(String name, String... labelPairs) {
        Map<String, String> labels = new TreeMap<>();
        for (int i = 0; i < labelPairs.length; i += 2) {
            labels.put(labelPairs[i], labelPairs[i + 1]);
        }
        return samples.getOrDefault(series(name, labels), 0.0);
    }

    boolean has(String name, String... labelPairs) {
        Map<String, String> labels = new TreeMap<>();
        for (int i = 0; i < labelPairs.length; i += 2) {
            labels.put(labelPairs[i], labelPairs[i + 1]);
        }
        return samples.containsKey(series(name, labels));
    }

    Set<String> series() {
        return samples.keySet();
    }

    private void checkHistograms(Map<String, String> types) {
        types.forEach((family, type) -> {
            if (!type.equals("histogram")) {
                return;
            }
            Map<String, Double> lastBucket = new HashMap<>();
            samples.forEach((series, value) -> {
                if (!series.startsWith(family + "_bucket{")) {
                    return;
                }
                String others = series.replaceAll("le=\"[^\"]*\",?", "").replace(",}", "}").replace("_bucket", "");
                Double previous = lastBucket.put(others, value);
                require(previous == null || previous <= value, "buckets not cumulative: " + series);
                if (series.contains("le=\"+Inf\"")) {
                    require(value.equals(samples.get(others.replace(family, family + "_count"))),
                            "+Inf bucket is not the count: " + series);
                }
            });
        });
    }

    private static String familyOf(String name, Map<String, String> types) {
        if (types.containsKey(name)) {
            return name;
        }
        for (String suffix : new String[] {"_total", "_bucket", "_count", "_sum", "_created", "_info"}) {
            if (name.endsWith(suffix) && types.containsKey(name.substring(0, name.length() - suffix.length()))) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return null;
    }

    private static String series(String name, Map<String, String> labels) {
        StringBuilder series = new StringBuilder(name).append('{');
        labels.forEach((label, value) -> series.append(label).append("=\"").append(value).append("\","));
        if (!labels.isEmpty()) {
            series.setLength(series.length() - 1);
        }
        return series.append('}').toString();
    }

    private static double value(String text, String where) {
        switch (text) {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            case "NaN":
                return Double.NaN;
            default:
                try {
                    return Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new AssertionError("not a number, " + where);
                }
        }
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError("not Prometheus text: " + what);
        }
    }
}
