package tracker.locks.persistence;

/** The databases the lock store runs on, each with its statements. */
public enum SqlDialect {

    H2(H2Statements.STATEMENTS),
    POSTGRESQL(PostgresStatements.STATEMENTS);

    private final LockStatements statements;

    SqlDialect(LockStatements statements) {
        this.statements = statements;
    }

    LockStatements statements() {
        return statements;
    }

    /** The statement that cancels statements running longer than {@code millis} ({@link LockStatements}). */
    public String statementTimeoutSql(long millis) {
        return statements.statementTimeout(millis);
    }

    /** The dialect a JDBC URL speaks. */
    public static SqlDialect ofJdbcUrl(String url) {
        if (url != null && url.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        if (url != null && url.startsWith("jdbc:h2:")) {
            return H2;
        }
        throw new IllegalArgumentException("the database URL must start with jdbc:h2: or jdbc:postgresql:, got \""
                + url + "\"");
    }
}
