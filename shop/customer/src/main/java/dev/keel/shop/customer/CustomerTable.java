package dev.keel.shop.customer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.keel.postgres.SqlNames;
import dev.keel.shop.customer.api.CustomerId;

/** The {@code customers} table, used by the slices inside the transactions they open. */
public final class CustomerTable {

    private static final String COLUMNS = "id, name, email, registered_at, version";

    private final String table;

    public CustomerTable(String schema) {
        this.table = SqlNames.qualified(schema, "customers");
    }

    /** Inserts a new customer; false if the email is taken (nothing is written then). */
    public boolean insert(Connection connection, Customer customer) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
                + " (id, name, email, registered_at, version, updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            insert.setObject(1, customer.id().value());
            insert.setString(2, customer.name());
            insert.setString(3, customer.email());
            insert.setTimestamp(4, Timestamp.from(customer.registeredAt()));
            insert.setLong(5, customer.version());
            insert.setTimestamp(6, Timestamp.from(customer.registeredAt()));
            return insert.executeUpdate() == 1;
        }
    }

    /** The customer, locked until the transaction ends, so that its changes take turns. */
    public Optional<Customer> lock(Connection connection, CustomerId id) throws SQLException {
        return one(connection, "SELECT " + COLUMNS + " FROM " + table + " WHERE id = ? FOR UPDATE", id);
    }

    public Optional<Customer> find(Connection connection, CustomerId id) throws SQLException {
        return one(connection, "SELECT " + COLUMNS + " FROM " + table + " WHERE id = ?", id);
    }

    /**
     * Stores a changed customer.
     *
     * @throws SQLException a unique violation (23505) when the new email belongs to another customer
     */
    public void update(Connection connection, Customer customer, Instant at) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + table
                + " SET name = ?, email = ?, version = ?, updated_at = ? WHERE id = ?")) {
            update.setString(1, customer.name());
            update.setString(2, customer.email());
            update.setLong(3, customer.version());
            update.setTimestamp(4, Timestamp.from(at));
            update.setObject(5, customer.id().value());
            if (update.executeUpdate() != 1) {
                throw new IllegalStateException("customer " + customer.id() + " vanished while locked");
            }
        }
    }

    /** A page of customers, oldest first (ids are time-ordered). */
    public List<Customer> page(Connection connection, int limit, int offset) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM " + table
                + " ORDER BY id LIMIT ? OFFSET ?")) {
            select.setInt(1, limit);
            select.setInt(2, offset);
            List<Customer> customers = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    customers.add(read(rows));
                }
            }
            return customers;
        }
    }

    private static Optional<Customer> one(Connection connection, String sql, CustomerId id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setObject(1, id.value());
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(read(rows)) : Optional.empty();
            }
        }
    }

    private static Customer read(ResultSet row) throws SQLException {
        return new Customer(new CustomerId(row.getObject(1, UUID.class)), row.getString(2), row.getString(3),
                row.getTimestamp(4).toInstant(), row.getLong(5));
    }
}
