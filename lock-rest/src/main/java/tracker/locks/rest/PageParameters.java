package tracker.locks.rest;

import tracker.locks.domain.model.PageRequest;

/** Turns the {@code per_page} and {@code page} query parameters into a page request, defaults included. */
final class PageParameters {

    private static final java.util.regex.Pattern ASCII_WHOLE_NUMBER = java.util.regex.Pattern.compile("[+-]?[0-9]+");

    private PageParameters() {
    }

    static PageRequest of(String perPage, String page) {
        return new PageRequest(
                number("page", page, 1),
                number("per_page", perPage, PageRequest.DEFAULT_PER_PAGE));
    }

    private static int number(String name, String value, int whenAbsent) {
        if (value == null) {
            return whenAbsent;
        }
        // Integer.parseInt reads any script's digits (per_page=\uFF15 was 5); a page number is written in ASCII.
        String digits = value.trim();
        try {
            if (!ASCII_WHOLE_NUMBER.matcher(digits).matches()) {
                throw new NumberFormatException(digits);
            }
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw RestRequestException.badField(name, name + " must be a whole number, got \"" + value + "\"");
        }
    }
}
