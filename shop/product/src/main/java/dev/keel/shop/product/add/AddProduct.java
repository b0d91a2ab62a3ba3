package dev.keel.shop.product.add;

import java.time.Clock;
import java.time.temporal.ChronoUnit;

import javax.sql.DataSource;

import dev.keel.core.Message;
import dev.keel.core.json.JsonCodec;
import dev.keel.outbox.OutboxMessage;
import dev.keel.outbox.OutboxWriter;
import dev.keel.postgres.Transactions;
import dev.keel.shop.platform.IdempotencyKeys;
import dev.keel.shop.platform.ProblemException;
import dev.keel.shop.platform.RequestContext;
import dev.keel.shop.product.Product;
import dev.keel.shop.product.ProductInput;
import dev.keel.shop.product.ProductTable;
import dev.keel.shop.product.api.NewProduct;
import dev.keel.shop.product.api.ProductAdded;
import io.javalin.Javalin;
import io.javalin.http.Context;

/**
 * {@code POST /api/products}: adds a product to the catalog. The row, the {@code ProductAdded} event in
 * the outbox and the idempotency key commit in one transaction, or nothing does. A SKU that exists is a
 * 409 (with an {@code Idempotency-Key}, a retry gets the first 201 instead).
 */
public final class AddProduct {

    private static final JsonCodec JSON = JsonCodec.tolerant();

    private final DataSource dataSource;
    private final ProductTable products;
    private final IdempotencyKeys keys;
    private final OutboxWriter outbox;
    private final Clock clock;

    public AddProduct(DataSource dataSource, ProductTable products, IdempotencyKeys keys, OutboxWriter outbox, Clock clock) {
        this.dataSource = dataSource;
        this.products = products;
        this.keys = keys;
        this.outbox = outbox;
        this.clock = clock;
    }

    public void routes(Javalin app) {
        app.post("/api/products", this::add);
    }

    private void add(Context ctx) {
        NewProduct request = ProductInput.newProduct(ctx);
        IdempotencyKeys.Response response = Transactions.inTransaction(dataSource, "adding product " + request.sku(), connection ->
                keys.once(connection, ctx, "add-product", () -> {
                    Product.Added added = Product.add(request, clock.instant().truncatedTo(ChronoUnit.MICROS));
                    if (!products.insert(connection, added.product(), added.event().addedAt())) {
                        throw ProblemException.conflict("product " + request.sku() + " already exists");
                    }
                    outbox.write(connection, new OutboxMessage(Product.AGGREGATE, request.sku().value(),
                            new Message<>(ProductAdded.TYPE, 1, added.event(), RequestContext.metadata(ctx, clock))));
                    return new IdempotencyKeys.Response(201, JSON.toBytes(added.product().view()));
                }));
        if (response.status() == 201) {
            ctx.header("Location", "/api/products/" + JSON.readTree(response.body()).get("sku").asText());
        }
        response.writeTo(ctx);
    }
}
