package dev.keel.shop.platform;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

/**
 * A service's own database, reached as the service's own role (which cannot connect to any other
 * service's database). Closing it closes the pool.
 */
public final class ServiceDatabase implements AutoCloseable {

    private final String name;
    private final String role;
    private final HikariDataSource pool;

    public ServiceDatabase(String name, String role, HikariDataSource pool) {
        this.name = name;
        this.role = role;
        this.pool = pool;
    }

    public String name() {
        return name;
    }

    public String role() {
        return role;
    }

    public DataSource dataSource() {
        return pool;
    }

    public String jdbcUrl() {
        return pool.getJdbcUrl();
    }

    /** Whether the database answers, for readiness checks. */
    public Health.Check check() {
        try (var connection = pool.getConnection()) {
            return connection.isValid(2) ? Health.Check.ok() : Health.Check.down("connection not valid");
        } catch (java.sql.SQLException e) {
            return Health.Check.down(e.getMessage());
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
