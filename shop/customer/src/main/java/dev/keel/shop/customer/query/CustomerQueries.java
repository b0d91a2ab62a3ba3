package dev.keel.shop.customer.query;

import javax.sql.DataSource;

import dev.keel.postgres.Transactions;
import dev.keel.shop.customer.Customer;
import dev.keel.shop.customer.CustomerInput;
import dev.keel.shop.customer.CustomerTable;
import dev.keel.shop.customer.api.CustomerId;
import dev.keel.shop.platform.ProblemException;
import dev.keel.shop.platform.Requests;
import dev.keel.shop.platform.ServiceHttp;
import io.javalin.Javalin;
import io.javalin.http.Context;

/** {@code GET /api/customers/{id}} and {@code GET /api/customers?limit=&offset=} (oldest first; limit 1-1000, default 100). */
public final class CustomerQueries {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final DataSource dataSource;
    private final CustomerTable customers;

    public CustomerQueries(DataSource dataSource, CustomerTable customers) {
        this.dataSource = dataSource;
        this.customers = customers;
    }

    public void routes(Javalin app) {
        app.get("/api/customers/{id}", this::one);
        app.get("/api/customers", this::page);
    }

    private void one(Context ctx) {
        CustomerId id = CustomerInput.id(ctx);
        Customer customer = Transactions.withConnection(dataSource, "reading customer " + id, connection -> customers.find(connection, id))
                .orElseThrow(() -> ProblemException.notFound("customer", id));
        ServiceHttp.json(ctx, 200, customer.view());
    }

    private void page(Context ctx) {
        int limit = Requests.queryInt(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        int offset = Requests.queryInt(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        ServiceHttp.json(ctx, 200, Transactions.withConnection(dataSource, "listing customers", connection ->
                customers.page(connection, limit, offset)).stream().map(Customer::view).toList());
    }
}
