package dev.keel.shop.product.change;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import javax.sql.DataSource;

import dev.keel.core.Message;
import dev.keel.outbox.OutboxMessage;
import dev.keel.outbox.OutboxWriter;
import dev.keel.postgres.Transactions;
import dev.keel.shop.platform.ProblemException;
import dev.keel.shop.platform.RequestContext;
import dev.keel.shop.platform.ServiceHttp;
import dev.keel.shop.product.Product;
import dev.keel.shop.product.ProductInput;
import dev.keel.shop.product.ProductTable;
import dev.keel.shop.product.api.ProductChanged;
import dev.keel.shop.product.api.ProductUpdate;
import dev.keel.shop.product.api.ProductView;
import dev.keel.shop.product.api.Sku;
import io.javalin.Javalin;
import io.javalin.http.Context;

/**
 * {@code PUT /api/products/{sku}}: changes a product's name and price. The new row and the
 * {@code ProductChanged} event (full new state and the previous price) commit in one transaction, so a
 * price change reaches every replica; the same name and price again change nothing and publish nothing.
 */
public final class ChangeProduct {

    private final DataSource dataSource;
    private final ProductTable products;
    private final OutboxWriter outbox;
    private final Clock clock;

    public ChangeProduct(DataSource dataSource, ProductTable products, OutboxWriter outbox, Clock clock) {
        this.dataSource = dataSource;
        this.products = products;
        this.outbox = outbox;
        this.clock = clock;
    }

    public void routes(Javalin app) {
        app.put("/api/products/{sku}", this::change);
    }

    private void change(Context ctx) {
        Sku sku = ProductInput.sku(ctx);
        ProductUpdate update = ProductInput.update(ctx);
        ProductView view = Transactions.inTransaction(dataSource, "changing product " + sku, connection -> {
            Product current = products.lock(connection, sku).orElseThrow(() -> ProblemException.notFound("product", sku));
            Optional<Product.Changed> change = current.change(update);
            if (change.isEmpty()) {
                return current.view();
            }
            Product.Changed changed = change.get();
            products.update(connection, changed.product(), clock.instant().truncatedTo(ChronoUnit.MICROS));
            outbox.write(connection, new OutboxMessage(Product.AGGREGATE, sku.value(),
                    new Message<>(ProductChanged.TYPE, 1, changed.event(), RequestContext.metadata(ctx, clock))));
            return changed.product().view();
        });
        ServiceHttp.json(ctx, 200, view);
    }
}
