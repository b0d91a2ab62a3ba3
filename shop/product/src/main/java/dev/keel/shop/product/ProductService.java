package dev.keel.shop.product;

import java.util.List;

import javax.sql.DataSource;

import dev.keel.postgres.Migrations;
import dev.keel.shop.platform.Health;
import dev.keel.shop.platform.IdempotencyKeys;
import dev.keel.shop.platform.RunningService;
import dev.keel.shop.platform.ServiceContext;
import dev.keel.shop.platform.ServiceHttp;
import dev.keel.shop.platform.ShopService;
import dev.keel.shop.platform.StartedService;
import dev.keel.shop.platform.messaging.ServiceMessaging;
import dev.keel.shop.product.add.AddProduct;
import dev.keel.shop.product.api.ProductTopics;
import dev.keel.shop.product.change.ChangeProduct;
import dev.keel.shop.product.query.ProductQueries;

/**
 * The product service, the catalog (port 8082): products with their names and prices in its own
 * database (schema {@value #SCHEMA}), every change published as {@code ProductAdded} /
 * {@code ProductChanged} on {@link ProductTopics#EVENTS} through its transactional outbox, keyed by SKU.
 */
public final class ProductService implements ShopService {

    public static final String NAME = "product";
    public static final int DEFAULT_PORT = 8082;
    public static final String SCHEMA = "product";
    /** Bodies are a SKU, a name and a price; anything near this is not a product. */
    static final long MAX_BODY_BYTES = 16 * 1024;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int defaultPort() {
        return DEFAULT_PORT;
    }

    @Override
    public List<String> topics() {
        return List.of(ProductTopics.EVENTS);
    }

    @Override
    public RunningService start(ServiceContext context) {
        DataSource dataSource = context.database().dataSource();
        Migrations.migrate(dataSource, NAME, SCHEMA, "db/shop/product");
        IdempotencyKeys keys = new IdempotencyKeys(dataSource, SCHEMA);
        ProductTable products = new ProductTable(SCHEMA);
        ServiceMessaging messaging = ServiceMessaging.builder(context).route(Product.AGGREGATE, ProductTopics.EVENTS).start();
        try {
            ServiceHttp http = ServiceHttp.builder(NAME)
                    .port(context.port())
                    .maxBodyBytes(MAX_BODY_BYTES)
                    .meterRegistry(messaging.meterRegistry())
                    .health(messaging.readiness(new Health().check("database", context.database()::check)))
                    .routes(app -> {
                        messaging.adminRoutes(app);
                        new AddProduct(dataSource, products, keys, messaging.outbox(), context.clock()).routes(app);
                        new ChangeProduct(dataSource, products, messaging.outbox(), context.clock()).routes(app);
                        new ProductQueries(dataSource, products).routes(app);
                    })
                    .start();
            return StartedService.of(http, messaging);
        } catch (RuntimeException e) {
            messaging.close();
            throw e;
        }
    }
}
