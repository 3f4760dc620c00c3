package tracker.locks.domain.model;

/** How much of a refused value an error message repeats: enough to recognise it, never a client's megabyte. */
final class LockFieldsEcho {

    private static final int MAX_ECHO = 40;

    private LockFieldsEcho() {
    }

    static String shortened(String value) {
        String printable = value.codePoints()
                .map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return printable.length() <= MAX_ECHO ? printable : printable.substring(0, MAX_ECHO) + "…";
    }
}
