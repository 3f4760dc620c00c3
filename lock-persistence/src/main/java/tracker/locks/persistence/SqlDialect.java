package tracker.locks.persistence;

/** The databases the lock store runs on, each with the SQL of its writes. */
public enum SqlDialect {

    H2(H2LockDao.class, H2LockDao.ACQUIRE, H2LockDao.RELEASE, "SET QUERY_TIMEOUT "),
    POSTGRESQL(PostgresLockDao.class, PostgresLockDao.ACQUIRE, PostgresLockDao.RELEASE, "SET statement_timeout = ");

    private final Class<? extends DialectLockDao> daoType;
    private final String acquireSql;
    private final String releaseSql;
    private final String statementTimeoutPrefix;

    SqlDialect(Class<? extends DialectLockDao> daoType, String acquireSql, String releaseSql,
               String statementTimeoutPrefix) {
        this.daoType = daoType;
        this.acquireSql = acquireSql;
        this.releaseSql = releaseSql;
        this.statementTimeoutPrefix = statementTimeoutPrefix;
    }

    String acquireSql() {
        return acquireSql;
    }

    String releaseSql() {
        return releaseSql;
    }

    /**
     * The statement that makes a connection cancel any statement running longer than {@code millis}: the database
     * then fails it with SQLState 57014, which the repository reports as "store unavailable".
     */
    public String statementTimeoutSql(long millis) {
        return statementTimeoutPrefix + millis;
    }

    Class<? extends DialectLockDao> daoType() {
        return daoType;
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
