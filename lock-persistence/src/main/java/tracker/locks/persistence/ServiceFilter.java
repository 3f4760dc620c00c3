package tracker.locks.persistence;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jdbi.v3.core.statement.SqlStatement;
import tracker.locks.domain.model.ServicePatterns;

/**
 * Service glob patterns as a SQL condition: each glob a {@code LIKE} with its {@code *} turned into {@code %} and
 * every other character taken literally ({@code %}, {@code _} and the escape character {@code !} escaped — not a
 * backslash, which the two databases' string literals treat differently), bound as parameters
 * {@code :service0, :service1, …}. No patterns: a condition that admits every row.
 */
record ServiceFilter(String condition, List<String> likes) {

    private static final String ALL = "TRUE";

    static ServiceFilter of(ServicePatterns services) {
        if (services.all()) {
            return new ServiceFilter(ALL, List.of());
        }
        List<String> likes = new ArrayList<>();
        for (String glob : services.globs()) {
            likes.add(like(glob));
        }
        String condition = IntStream.range(0, likes.size())
                .mapToObj(i -> "service LIKE :service" + i + " ESCAPE '!'")
                .collect(Collectors.joining(" OR ", "(", ")"));
        return new ServiceFilter(condition, List.copyOf(likes));
    }

    /** Binds the patterns to {@code statement}'s {@code :service0, …}. */
    <S extends SqlStatement<S>> S bindTo(S statement) {
        for (int i = 0; i < likes.size(); i++) {
            statement.bind("service" + i, likes.get(i));
        }
        return statement;
    }

    static String like(String glob) {
        StringBuilder like = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> like.append('%');
                case '%', '_', '!' -> like.append('!').append(c);
                default -> like.append(c);
            }
        }
        return like.toString();
    }
}
