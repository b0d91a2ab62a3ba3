package dev.keel.shop.product.query;

import javax.sql.DataSource;

import dev.keel.postgres.Transactions;
import dev.keel.shop.platform.ProblemException;
import dev.keel.shop.platform.Requests;
import dev.keel.shop.platform.ServiceHttp;
import dev.keel.shop.product.Product;
import dev.keel.shop.product.ProductInput;
import dev.keel.shop.product.ProductTable;
import dev.keel.shop.product.api.Sku;
import io.javalin.Javalin;
import io.javalin.http.Context;

/** {@code GET /api/products/{sku}} and {@code GET /api/products?limit=&offset=} (by SKU; limit 1-1000, default 100). */
public final class ProductQueries {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final DataSource dataSource;
    private final ProductTable products;

    public ProductQueries(DataSource dataSource, ProductTable products) {
        this.dataSource = dataSource;
        this.products = products;
    }

    public void routes(Javalin app) {
        app.get("/api/products/{sku}", this::one);
        app.get("/api/products", this::page);
    }

    private void one(Context ctx) {
        Sku sku = ProductInput.sku(ctx);
        Product product = Transactions.withConnection(dataSource, "reading product " + sku, connection -> products.find(connection, sku))
                .orElseThrow(() -> ProblemException.notFound("product", sku));
        ServiceHttp.json(ctx, 200, product.view());
    }

    private void page(Context ctx) {
        int limit = Requests.queryInt(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        int offset = Requests.queryInt(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        ServiceHttp.json(ctx, 200, Transactions.withConnection(dataSource, "listing products", connection ->
                products.page(connection, limit, offset)).stream().map(Product::view).toList());
    }
}
