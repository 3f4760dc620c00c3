package tracker.locks.domain.port.in;

import java.util.Locale;

/**
 * The token of an {@code Authorization: Bearer <token>} value (RFC 6750), which REST sends as a header and gRPC as
 * metadata: one reading for both transports. Anything else presents no token.
 */
public final class BearerToken {

    private static final String SCHEME = "bearer ";

    private BearerToken() {
    }

    /** @return the token, or null when the value is absent or not a bearer one */
    public static String of(String authorization) {
        if (authorization == null || authorization.length() <= SCHEME.length()
                || !authorization.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME)) {
            return null;
        }
        String token = authorization.substring(SCHEME.length()).strip();
        return token.isEmpty() ? null : token;
    }
}
