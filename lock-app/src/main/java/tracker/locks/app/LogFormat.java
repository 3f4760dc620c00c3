package tracker.locks.app;

import java.util.Map;
import java.util.Set;

/**
 * LOG_FORMAT, checked before the configuration is read: the YAML's {@code layout: {type: ${LOG_FORMAT:-text}}}
 * would take any layout Jackson knows — {@code access-json}, a layout for request logs, silences the server's log
 * entirely — and refuses the rest in Jackson's words, without naming the variable.
 */
final class LogFormat {

    static final Set<String> KNOWN = Set.of("text", "json");

    private LogFormat() {
    }

    /** @throws UnknownLogFormatException when LOG_FORMAT is set to anything but {@code text} or {@code json} */
    static void check(Map<String, String> environment) {
        String format = environment.get("LOG_FORMAT");
        if (format != null && !KNOWN.contains(format)) {
            throw new UnknownLogFormatException("LOG_FORMAT must be text or json, got \"" + format + "\"");
        }
    }

    /** A LOG_FORMAT the server does not know: reported as its message alone, and the start stops. */
    static final class UnknownLogFormatException extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;

        UnknownLogFormatException(String message) {
            super(message);
        }
    }
}
