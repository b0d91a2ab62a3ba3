package dev.keel.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.function.Function;

import javax.sql.DataSource;

/**
 * Gives a service a database and a login role of its own on a PostgreSQL server — the database per
 * service pattern, enforced by the server: the role owns its database, and every other non-superuser
 * role loses the right to connect to it. Works on any server where the admin may create roles and
 * databases; running it again is harmless (it re-sets the password and the grants).
 *
 * <pre>{@code
 * DatabaseProvisioning provisioning = new DatabaseProvisioning(database -> adminDataSourceFor(database));
 * provisioning.createDatabaseWithOwner("shop_orders", "orders_service", password);
 * }</pre>
 */
public final class DatabaseProvisioning {

    private final Function<String, DataSource> adminAccess;

    /** @param adminAccess connects as an administrator to the database of the given name */
    public DatabaseProvisioning(Function<String, DataSource> adminAccess) {
        this.adminAccess = adminAccess;
    }

    public boolean databaseExists(String database) {
        SqlNames.identifier(database, "database");
        return Transactions.withConnection(adminAccess.apply("postgres"), "look up database " + database, connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                statement.setString(1, database);
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next();
                }
            }
        });
    }

    /**
     * Creates the role (with {@code LOGIN}) and the database it owns unless they exist, sets the
     * role's password, revokes {@code CONNECT} from {@code PUBLIC} and makes the role owner of the
     * database's {@code public} schema.
     */
    public void createDatabaseWithOwner(String database, String role, String password) {
        SqlNames.identifier(database, "database");
        SqlNames.identifier(role, "role");
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("role " + role + " needs a non-empty password");
        }
        execute("postgres", "create role " + role, List.of(
                "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + role + "') THEN "
                        + "CREATE ROLE " + role + " LOGIN; END IF; END $$",
                "ALTER ROLE " + role + " LOGIN PASSWORD '" + password.replace("'", "''") + "'"));
        if (!databaseExists(database)) {
            try {
                execute("postgres", "create database " + database, List.of("CREATE DATABASE " + database + " OWNER " + role));
            } catch (SqlFailure.Permanent e) {
                // another process created it between our check and our CREATE (42P04: duplicate database)
                if (!"42P04".equals(e.sqlState())) {
                    throw e;
                }
            }
        }
        execute("postgres", "restrict database " + database, List.of(
                "REVOKE ALL ON DATABASE " + database + " FROM PUBLIC",
                "GRANT ALL ON DATABASE " + database + " TO " + role));
        execute(database, "hand schema public of " + database + " to " + role, List.of("ALTER SCHEMA public OWNER TO " + role));
    }

    private void execute(String database, String what, List<String> statements) {
        Transactions.withConnection(adminAccess.apply(database), what, connection -> {
            runAll(connection, statements);
            return null;
        });
    }

    private static void runAll(Connection connection, List<String> statements) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }
}
