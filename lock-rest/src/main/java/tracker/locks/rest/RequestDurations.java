package tracker.locks.rest;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the durations of REST requests ({@code ttl}, {@code wait}): a string with a unit — {@code "500ms"},
 * {@code "30s"}, {@code "10m"}, {@code "2h"} — an ISO-8601 duration ({@code "PT30S"}), or a JSON number of seconds
 * ({@code 30}, {@code 1.5}). Whether the value is positive and within the server's limits is the domain's call.
 */
final class RequestDurations {

    private static final Pattern WITH_UNIT = Pattern.compile("(-?\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");
    /** Anything longer is refused here, before arithmetic on it can overflow; the server's limits are far lower. */
    private static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(Duration.ofDays(365 * 100L).toSeconds());

    private RequestDurations() {
    }

    /** The duration in {@code json}'s field, or null when absent or JSON null. */
    static Duration field(JsonNode json, String field) {
        JsonNode value = json == null ? null : json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isNumber()) {
            // Decimals arrive as written (JsonBody reads them as BigDecimal), 1e400 included.
            return seconds(field, value.decimalValue(), value.asText());
        }
        if (value.isTextual()) {
            return parse(field, value.textValue().trim());
        }
        throw invalid(field, "got " + value.getNodeType().name().toLowerCase(Locale.ROOT));
    }

    private static Duration parse(String field, String text) {
        if (text.startsWith("P") || text.startsWith("-P")) {
            try {
                return Duration.parse(text);
            } catch (DateTimeParseException e) {
                throw invalid(field, "got \"" + text + "\"");
            }
        }
        Matcher matcher = WITH_UNIT.matcher(text);
        if (!matcher.matches()) {
            throw invalid(field, "got \"" + text + "\"");
        }
        BigDecimal amount = new BigDecimal(matcher.group(1));
        String unit = matcher.group(2) == null ? "s" : matcher.group(2);
        BigDecimal secondsValue = switch (unit) {
            case "ms" -> amount.movePointLeft(3);
            case "m" -> amount.multiply(BigDecimal.valueOf(60));
            case "h" -> amount.multiply(BigDecimal.valueOf(3600));
            default -> amount;
        };
        return seconds(field, secondsValue, text);
    }

    private static Duration seconds(String field, BigDecimal secondsValue, String original) {
        // compareTo looks at the exponents first, so even 1e-2147483647 costs nothing; so does longValue() of a
        // fraction below one (it is 0 without dividing).
        if (secondsValue.abs().compareTo(MAX_SECONDS) > 0) {
            throw RestRequestException.badField(field, field + (secondsValue.signum() < 0
                    ? " must be at least 1ms, got " : " is far too long: ") + original);
        }
        BigDecimal nanos = secondsValue.movePointRight(9);
        return Duration.ofNanos(nanos.longValue());
    }

    private static RestRequestException invalid(String field, String what) {
        return RestRequestException.badField(field, field
                + " must be a duration such as \"500ms\", \"30s\", \"10m\", \"1h\" or a number of seconds, " + what);
    }
}
