package tracker.locks.persistence;

/** The databases the lock store runs on, each with the SQL of its writes. */
public enum SqlDialect {

    H2(H2LockDao.class),
    POSTGRESQL(PostgresLockDao.class);

    private final Class<? extends DialectLockDao> daoType;

    SqlDialect(Class<? extends DialectLockDao> daoType) {
        this.daoType = daoType;
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
