package tracker.locks.rest;

/**
 * An answer of the REST API, written by {@link JsonAnswerWriter}.
 *
 * <p>Why a type of its own: JAX-RS picks the writer whose type is nearest to the answer's class, and Jackson's own
 * provider (which Dropwizard registers) is declared for {@code Object}, as a writer for "anything" would be. Two
 * writers for {@code Object} tie, and Jersey then kept Jackson's, the first registered — so {@link JsonAnswerWriter}
 * was not used at all for these answers until it was declared for this type.
 */
public interface JsonAnswer {
}
