package tracker.locks.rest;

import tracker.locks.domain.model.PageRequest;

/** Turns the {@code per_page} and {@code page} query parameters into a page request, defaults included. */
final class PageParameters {

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
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw RestRequestException.badField(name, name + " must be a whole number, got \"" + value + "\"");
        }
    }
}
