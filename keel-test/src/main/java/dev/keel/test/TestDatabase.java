package dev.keel.test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.keel.embedded.EmbeddedPostgres;

/**
 * A PostgreSQL database of the test class's own, on the shared embedded cluster: created for the
 * class, dropped after it. {@link #dataSource()} is a connection pool (up to 16 connections), enough
 * for concurrency tests; {@link #newDatabase(String)} makes further databases, for tests that need
 * one per service.
 */
public final class TestDatabase implements AutoCloseable {

    private final EmbeddedPostgres postgres;
    private final String name;
    private final HikariDataSource pool;
    private final List<TestDatabase> others = new ArrayList<>();

    private TestDatabase(EmbeddedPostgres postgres, String name) {
        this.postgres = postgres;
        this.name = name;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.jdbcUrl(name));
        config.setUsername(EmbeddedPostgres.SUPERUSER);
        config.setMaximumPoolSize(16);
        config.setMinimumIdle(0);
        config.setPoolName("test-" + name);
        config.setConnectionTimeout(10_000);
        this.pool = new HikariDataSource(config);
    }

    static TestDatabase create(EmbeddedPostgres postgres, String hint) {
        String name = SharedInfrastructure.uniqueName(hint);
        postgres.createDatabase(name);
        return new TestDatabase(postgres, name);
    }

    public String name() {
        return name;
    }

    public String jdbcUrl() {
        return postgres.jdbcUrl(name);
    }

    public String user() {
        return EmbeddedPostgres.SUPERUSER;
    }

    /** A pooled data source for this database (superuser; the pool is closed with the database). */
    public DataSource dataSource() {
        return pool;
    }

    /** The cluster this database lives on. */
    public EmbeddedPostgres server() {
        return postgres;
    }

    /** Another fresh database on the same cluster, dropped together with this one. */
    public synchronized TestDatabase newDatabase(String hint) {
        TestDatabase other = create(postgres, hint);
        others.add(other);
        return other;
    }

    /** Runs SQL statements in one transaction, for test set-up. */
    public void execute(String... statements) {
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                for (String sql : statements) {
                    statement.execute(sql);
                }
            }
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("set-up SQL failed on " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        for (TestDatabase other : others) {
            other.close();
        }
        others.clear();
        pool.close();
        postgres.dropDatabase(name);
    }

    @Override
    public String toString() {
        return "test database " + name + " at " + jdbcUrl();
    }
}
