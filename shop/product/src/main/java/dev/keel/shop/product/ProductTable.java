package dev.keel.shop.product;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.keel.postgres.SqlNames;
import dev.keel.shop.product.api.Sku;

/** The {@code products} table, used by the slices inside the transactions they open. */
public final class ProductTable {

    private static final String COLUMNS = "sku, name, price, version";

    private final String table;

    public ProductTable(String schema) {
        this.table = SqlNames.qualified(schema, "products");
    }

    /** Inserts a new product; false if its SKU exists (nothing is written then). */
    public boolean insert(Connection connection, Product product, Instant at) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
                + " (sku, name, price, version, added_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (sku) DO NOTHING")) {
            insert.setString(1, product.sku().value());
            insert.setString(2, product.name());
            insert.setBigDecimal(3, product.price());
            insert.setLong(4, product.version());
            insert.setTimestamp(5, Timestamp.from(at));
            insert.setTimestamp(6, Timestamp.from(at));
            return insert.executeUpdate() == 1;
        }
    }

    /** The product, locked until the transaction ends, so that its changes take turns. */
    public Optional<Product> lock(Connection connection, Sku sku) throws SQLException {
        return one(connection, "SELECT " + COLUMNS + " FROM " + table + " WHERE sku = ? FOR UPDATE", sku);
    }

    public Optional<Product> find(Connection connection, Sku sku) throws SQLException {
        return one(connection, "SELECT " + COLUMNS + " FROM " + table + " WHERE sku = ?", sku);
    }

    public void update(Connection connection, Product product, Instant at) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + table
                + " SET name = ?, price = ?, version = ?, updated_at = ? WHERE sku = ?")) {
            update.setString(1, product.name());
            update.setBigDecimal(2, product.price());
            update.setLong(3, product.version());
            update.setTimestamp(4, Timestamp.from(at));
            update.setString(5, product.sku().value());
            if (update.executeUpdate() != 1) {
                throw new IllegalStateException("product " + product.sku() + " vanished while locked");
            }
        }
    }

    /** A page of products by SKU. */
    public List<Product> page(Connection connection, int limit, int offset) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM " + table
                + " ORDER BY sku LIMIT ? OFFSET ?")) {
            select.setInt(1, limit);
            select.setInt(2, offset);
            List<Product> products = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    products.add(read(rows));
                }
            }
            return products;
        }
    }

    private static Optional<Product> one(Connection connection, String sql, Sku sku) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, sku.value());
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(read(rows)) : Optional.empty();
            }
        }
    }

    private static Product read(ResultSet row) throws SQLException {
        return new Product(new Sku(row.getString(1)), row.getString(2), row.getBigDecimal(3), row.getLong(4));
    }
}
