package tracker.locks.domain.model;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.regex.Pattern;

/**
 * The services a principal may touch or see, as glob patterns: {@code *} stands for any run of characters, every
 * other character for itself ({@code deploy-*} matches {@code deploy-web} and {@code deploy-}, not {@code deployer}).
 * No patterns: every service.
 */
public record ServicePatterns(List<String> globs) {

    /** Every service. */
    public static final ServicePatterns ALL = new ServicePatterns(List.of());

    public ServicePatterns {
        globs = List.copyOf(globs);
        for (String glob : globs) {
            if (glob.isBlank()) {
                throw new IllegalArgumentException("a service pattern must not be blank");
            }
        }
    }

    public boolean all() {
        return globs.isEmpty();
    }

    public boolean matches(String service) {
        return all() || globs.stream().anyMatch(glob -> regex(glob).matcher(service).matches());
    }

    private static Pattern regex(String glob) {
        return Pattern.compile(Arrays.stream(glob.split("\\*", -1)).map(Pattern::quote)
                .collect(Collectors.joining(".*")), Pattern.DOTALL);
    }
}
